package org.kvmstudio.testing.swt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;

/**
 * Drives SWT as a person does, with real X events ({@code Display.post}: the XTest extension of
 * the test's Xvfb), and looks at the screen's pixels. SWTBot is not on Maven Central. Every method
 * runs on the thread that made the display (the test's), and keeps dispatching events while it waits.
 */
public final class Gui {

    private static Display display;
    /** Characters typed with Shift held on a US keyboard. */
    private static final String SHIFTED = "~!@#$%^&*()_+{}|:\"<>?";

    private Gui() {
    }

    /** The test thread's display; the first call makes it, and that thread is the UI thread from then on. */
    public static Display display() {
        if (display == null || display.isDisposed()) {
            display = Display.getCurrent() != null ? Display.getCurrent() : new Display();
        }
        return display;
    }

    public static Shell shell(String title, int width, int height) {
        Shell shell = new Shell(display(), SWT.SHELL_TRIM);
        shell.setText(title);
        shell.setSize(width, height);
        shell.setLocation(0, 0);
        return shell;
    }

    /** Dispatches what is pending, and what arrives within {@code millis}. */
    public static void pump(long millis) {
        long end = System.currentTimeMillis() + millis;
        do {
            while (display().readAndDispatch()) {
                // dispatch all
            }
            if (millis > 0) {
                sleep(10);
            }
        } while (System.currentTimeMillis() < end);
    }

    public static void waitUntil(String what, BooleanSupplier condition) {
        waitUntil(what, 5_000, condition);
    }

    /** Dispatches events until {@code condition} holds. @throws AssertionError after {@code millis} */
    public static void waitUntil(String what, long millis, BooleanSupplier condition) {
        long end = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out after " + millis + " ms waiting until " + what);
            }
            pump(20);
        }
    }

    /** A left click at the middle of {@code control} (at most 12 pixels down: the first line of a tall one). */
    public static void click(Control control) {
        Point size = control.getSize();
        clickAt(control.toDisplay(size.x / 2, Math.min(size.y / 2, 12)), 1);
    }

    /** A left click on row {@code row} of {@code table}. */
    public static void clickRow(Table table, int row, int clicks) {
        table.showItem(table.getItem(row));
        pump(50);
        Rectangle r = table.getItem(row).getBounds(0);
        clickAt(table.toDisplay(r.x + Math.min(20, r.width / 2), r.y + r.height / 2), clicks);
    }

    public static void clickAt(Point at, int clicks) {
        Event move = new Event();
        move.type = SWT.MouseMove;
        move.x = at.x;
        move.y = at.y;
        display().post(move);
        pump(30);
        for (int i = 0; i < clicks; i++) {
            Event down = new Event();
            down.type = SWT.MouseDown;
            down.button = 1;
            display().post(down);
            Event up = new Event();
            up.type = SWT.MouseUp;
            up.button = 1;
            display().post(up);
            pump(40); // GTK counts a second press within its double-click time as a double click

        }
        pump(80);
    }

    /** Types {@code text} key by key into the focused control (Shift held where a US keyboard needs it). */
    public static void type(String text) {
        for (char c : text.toCharArray()) {
            boolean shift = Character.isUpperCase(c) || SHIFTED.indexOf(c) >= 0;
            if (shift) {
                modifier(SWT.SHIFT, true);
            }
            key(c, 0);
            if (shift) {
                modifier(SWT.SHIFT, false);
            }
        }
        pump(50);
    }

    private static void modifier(int keyCode, boolean down) {
        Event e = new Event();
        e.type = down ? SWT.KeyDown : SWT.KeyUp;
        e.keyCode = keyCode;
        display().post(e);
    }

    /** Presses {@code keyCode} (or types {@code character} when it is 0) and releases it. */
    public static void key(char character, int keyCode) {
        Event down = new Event();
        down.type = SWT.KeyDown;
        down.character = character;
        down.keyCode = keyCode;
        display().post(down);
        Event up = new Event();
        up.type = SWT.KeyUp;
        up.character = character;
        up.keyCode = keyCode;
        display().post(up);
        pump(5);
    }

    /** Ctrl+A then Delete: empties the focused text. */
    public static void clearFocused() {
        modifier(SWT.CTRL, true);
        key('a', 0);
        modifier(SWT.CTRL, false);
        key((char) 0, SWT.DEL);
        pump(50);
    }

    /** Clicks {@code control}, waits for the focus, empties it and types {@code text}. */
    public static void typeInto(Control control, String text) {
        click(control);
        waitUntil("the focus in " + control, control::isFocusControl);
        clearFocused();
        type(text);
    }

    /**
     * Arranges for {@code handler} to run on the next shell other than {@code owner} that opens (a
     * modal dialog: the test is inside its event loop then), and returns at once.
     */
    public static void onNextDialog(Shell owner, Consumer<Shell> handler) {
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            Shell active = display().getActiveShell();
            Optional<Shell> dialog = active != null && active != owner && active.isVisible() ? Optional.of(active)
                    : List.of(display().getShells()).stream().filter(s -> s != owner && s.isVisible() && s.getParent() == owner).findFirst();
            if (dialog.isPresent()) {
                display().timerExec(300, () -> handler.accept(dialog.get())); // let it lay out and paint
            } else {
                display().timerExec(100, poll[0]);
            }
        };
        display().timerExec(100, poll[0]);
    }

    /** Every control under {@code root} matching {@code test}, depth first. */
    public static <T extends Control> List<T> find(Composite root, Class<T> type, Predicate<T> test) {
        List<T> found = new ArrayList<>();
        for (Control c : root.getChildren()) {
            if (type.isInstance(c) && test.test(type.cast(c))) {
                found.add(type.cast(c));
            }
            if (c instanceof Composite composite) {
                found.addAll(find(composite, type, test));
            }
        }
        return found;
    }

    /** What the screen shows of {@code control}'s area, widened by {@code margin} pixels on each side. */
    public static ImageData screenshot(Control control, int margin) {
        Point size = control.getSize();
        Point at = control.toDisplay(-margin, -margin);
        Image image = new Image(display(), size.x + 2 * margin, size.y + 2 * margin);
        GC gc = new GC(display());
        try {
            gc.copyArea(image, at.x, at.y);
            return image.getImageData();
        } finally {
            gc.dispose();
            image.dispose();
        }
    }

    /** The number of clearly red pixels: the error decoration is a red disc. */
    public static int redPixels(ImageData data) {
        return count(data, new Rectangle(0, 0, data.width, data.height), rgb -> rgb.red > 150 && rgb.green < 90 && rgb.blue < 90);
    }

    /** Pixels of {@code area} (clipped to {@code data}) brighter than light grey: text on a dark screen. */
    public static int brightPixels(ImageData data, Rectangle area) {
        return count(data, area, rgb -> rgb.red + rgb.green + rgb.blue > 450);
    }

    /** Pixels of {@code area} (clipped to {@code data}) close to black. */
    public static int darkPixels(ImageData data, Rectangle area) {
        return count(data, area, rgb -> rgb.red + rgb.green + rgb.blue < 60);
    }

    private static int count(ImageData data, Rectangle area, Predicate<RGB> test) {
        Rectangle clip = area.intersection(new Rectangle(0, 0, data.width, data.height));
        int n = 0;
        for (int y = clip.y; y < clip.y + clip.height; y++) {
            for (int x = clip.x; x < clip.x + clip.width; x++) {
                if (test.test(data.palette.getRGB(data.getPixel(x, y)))) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Saves what the screen shows of {@code control} under target/screenshots, for people to look at. */
    public static Path save(Control control, String name) throws Exception {
        ImageData data = screenshot(control, 0);
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] {data};
        loader.save(file.toString(), SWT.IMAGE_PNG);
        return file;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
