package org.kvmstudio.forms;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;

/**
 * Drives SWT as a person does, with real X events ({@code Display.post}: the XTest extension of
 * the test's Xvfb), and looks at the screen's pixels. SWTBot is not on Maven Central.
 */
final class Gui {

    private static Display display;

    private Gui() {
    }

    /** The test thread's display; the first test makes it, and that thread is the UI thread from then on. */
    static Display display() {
        if (display == null || display.isDisposed()) {
            display = new Display();
        }
        return display;
    }

    static Shell shell(String title, int width, int height) {
        Shell shell = new Shell(display(), SWT.SHELL_TRIM);
        shell.setText(title);
        shell.setSize(width, height);
        shell.setLocation(0, 0);
        return shell;
    }

    /** Dispatches what is pending, and what arrives within {@code millis}. */
    static void pump(long millis) {
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

    static void waitUntil(String what, BooleanSupplier condition) {
        long end = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < end, "timed out waiting until " + what);
            pump(20);
        }
    }

    /** A left click at the middle of {@code control}. */
    static void click(Control control) {
        Point size = control.getSize();
        Point at = control.toDisplay(size.x / 2, Math.min(size.y / 2, 12));
        Event move = new Event();
        move.type = SWT.MouseMove;
        move.x = at.x;
        move.y = at.y;
        display().post(move);
        pump(30);
        Event down = new Event();
        down.type = SWT.MouseDown;
        down.button = 1;
        display().post(down);
        pump(10);
        Event up = new Event();
        up.type = SWT.MouseUp;
        up.button = 1;
        display().post(up);
        pump(60);
    }

    /** Types {@code text} key by key into the focused control. */
    static void type(String text) {
        for (char c : text.toCharArray()) {
            key(c, 0);
        }
        pump(50);
    }

    /** Presses {@code keyCode} (or types {@code character} when it is 0) and releases it. */
    static void key(char character, int keyCode) {
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

    /** Ctrl+A then Delete: empties a text field. */
    static void clearFocused() {
        Event ctrl = new Event();
        ctrl.type = SWT.KeyDown;
        ctrl.keyCode = SWT.CTRL;
        display().post(ctrl);
        key('a', 0);
        ctrl.type = SWT.KeyUp;
        display().post(ctrl);
        key((char) 0, SWT.DEL);
        pump(50);
    }

    /** What the screen shows of {@code control}'s area, widened by {@code margin} pixels on each side. */
    static ImageData screenshot(Control control, int margin) {
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
    static int redPixels(ImageData data) {
        int red = 0;
        for (int y = 0; y < data.height; y++) {
            for (int x = 0; x < data.width; x++) {
                RGB rgb = data.palette.getRGB(data.getPixel(x, y));
                if (rgb.red > 150 && rgb.green < 90 && rgb.blue < 90) {
                    red++;
                }
            }
        }
        return red;
    }

    /** Saves the shell as the screen shows it, under target/screenshots, for the README and for people to look at. */
    static Path save(Shell shell, String name) throws Exception {
        ImageData data = screenshot(shell, 0);
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
