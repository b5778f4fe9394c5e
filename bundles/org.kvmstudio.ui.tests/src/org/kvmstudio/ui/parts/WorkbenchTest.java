package org.kvmstudio.ui.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kvmstudio.core.Studio;
import org.kvmstudio.core.StudioService;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Status;
import org.kvmstudio.testing.swt.Gui;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The seed's examples done from the GUI alone, on the embedded default with real libvirt, QEMU and
 * qemu-nbd and the tiny real guest: an NBD export and a KVM booting from it are requested through
 * the generated forms (the plan shows the domain XML first), both reach running in Instances, the
 * console shows the guest's screen, a template is saved and applied, and the KVM is destroyed.
 * The views are the application's parts, made by e4 injection in a Shell; every step is real key
 * and mouse events.
 */
class WorkbenchTest {

    private static StudioService service;
    private static Studio studio;
    private static Shell shell;
    private static TestWindow window;
    private static final List<String> unexpectedDialogs = new ArrayList<>();
    private static boolean expectingDialog;

    private ReleasesPart releases;
    private InstancesPart instances;
    private RequestPart request;
    private TemplatesPart templates;
    private ConsolePart console;
    private Composite releasesHolder;
    private Composite instancesHolder;
    private Composite templatesHolder;
    private Composite hostsHolder;

    @BeforeAll
    static void openWorkspace() throws Exception {
        BundleContext bundles = FrameworkUtil.getBundle(WorkbenchTest.class).getBundleContext();
        ServiceTracker<StudioService, StudioService> tracker = new ServiceTracker<>(bundles, StudioService.class, null);
        tracker.open();
        service = tracker.waitForService(30_000);
        assertTrue(service != null, "the studio service started");
        System.setProperty("kvmstudio.libvirt.dispatchedByGtk", "true"); // as the application: GTK iterates GLib here
        Display display = Gui.display();
        Path dir = Files.createDirectories(Path.of("/tmp", "kui-" + ProcessHandle.current().pid()));
        studio = service.open(dir.resolve("ws"));
        studio.startController();
        window = new TestWindow(display, studio);
        shell = Gui.shell("KVM Studio", 1280, 900);
        shell.setLayout(new FillLayout());
        guardDialogs(display);
    }

    /** A dialog no step expects (an error from a job) is noted and closed, so the test fails instead of hanging. */
    private static void guardDialogs(Display display) {
        display.timerExec(1000, new Runnable() {
            @Override
            public void run() {
                if (shell.isDisposed()) {
                    return;
                }
                for (Shell s : display.getShells()) {
                    if (s != shell && s.isVisible() && !expectingDialog) {
                        StringBuilder text = new StringBuilder(s.getText());
                        Gui.find(s, org.eclipse.swt.widgets.Label.class, l -> true).forEach(l -> text.append(" | ").append(l.getText()));
                        unexpectedDialogs.add(text.toString());
                        s.close();
                    }
                }
                display.timerExec(1000, this);
            }
        });
    }

    private static Composite holder(Composite parent) {
        Composite c = new Composite(parent, SWT.BORDER);
        c.setLayout(new FillLayout());
        return c;
    }

    private void openViews() {
        SashForm columns = new SashForm(shell, SWT.HORIZONTAL);
        SashForm left = new SashForm(columns, SWT.VERTICAL);
        releasesHolder = holder(left);
        templatesHolder = holder(left);
        hostsHolder = holder(left);
        SashForm middle = new SashForm(columns, SWT.VERTICAL);
        instancesHolder = holder(middle);
        Composite requestHolder = holder(middle);
        Composite consoleHolder = holder(columns);
        releases = window.part(ReleasesPart.class, releasesHolder);
        templates = window.part(TemplatesPart.class, templatesHolder);
        window.part(HostsPart.class, hostsHolder);
        instances = window.part(InstancesPart.class, instancesHolder);
        request = window.part(RequestPart.class, requestHolder);
        console = window.part(ConsolePart.class, consoleHolder);
        columns.setWeights(22, 50, 28);
        middle.setWeights(35, 65);
        shell.open();
        shell.forceActive();
        Gui.pump(300);
    }

    @Test
    void theSeedsExamplesFromTheGuiAlone() throws Exception {
        Path guest = guest();
        openViews();
        try {
            seedsExamples(guest);
        } catch (AssertionError | RuntimeException e) {
            Gui.save(shell, "workbench-failure"); // what the screen showed when it failed
            throw new AssertionError(e.getMessage() + "; dialogs closed meanwhile: " + unexpectedDialogs, e);
        }
    }

    private void seedsExamples(Path guest) throws Exception {
        // an NBD export of the guest's boot image, requested through its generated form
        startRequest("nbd");
        Gui.typeInto((Text) request.referenceControl(), "mynbd");
        Path iso = guest.resolve("boot.iso");
        typeField("/image-url", iso.toUri().toString());
        typeField("/image-md5sum", md5(iso));
        Gui.waitUntil("Review is enabled for valid parameters", () -> request.reviewButton().isEnabled());
        String nbdPlan = reviewAndRequest();
        assertTrue(nbdPlan.contains("A new nbd partition"), nbdPlan);
        Partition nbd = waitUntilStarted("mynbd", 120);

        // a KVM booting from that export
        startRequest("default");
        Gui.typeInto((Text) request.referenceControl(), "myawesomekvm");
        typeField("/nbd-host", String.valueOf(nbd.connectionParameters().get("nbd-host").orElseThrow()));
        typeField("/nbd-port", String.valueOf(nbd.connectionParameters().get("nbd-port").orElseThrow()));
        typeField("/ram-size", "512");
        typeField("/disk-size", "1");
        Gui.waitUntil("Review is enabled", () -> request.reviewButton().isEnabled());
        String kvmPlan = reviewAndRequest();
        assertTrue(kvmPlan.contains("<domain") && kvmPlan.contains("nbd"), "the plan shows the domain XML: " + kvmPlan);
        Partition kvm = waitUntilStarted("myawesomekvm", 240);
        Gui.waitUntil("both instances show as started in Instances", 10_000, () -> instances.rows().shown().stream()
                .filter(p -> p.status().phase() == Status.Phase.STARTED).count() >= 2);
        Gui.save(shell, "workbench");
        // the editor follows the KVM it requested: its connection parameters, the VNC password masked
        Table published = Gui.find(request.reviewButton().getParent().getParent(), Table.class,
                t -> t.getColumnCount() == 2 && t.getColumn(0).getText().equals("Connection parameter")).get(0);
        Gui.waitUntil("the KVM's connection parameters are shown", 10_000, () -> rowText(published, "backend-url").startsWith("ws://"));
        assertEquals("••••••••", rowText(published, "password"), "the VNC password is masked");
        String vncPassword = String.valueOf(studio.engine().allConnectionParameters(kvm).get("password").orElseThrow());
        Gui.waitUntil("the live domain XML is shown", 10_000, () -> request.liveXmlText().getText().contains("<domain"));
        assertTrue(!request.liveXmlText().getText().contains(vncPassword), "libvirt's XML is shown without the VNC password");

        // its console, through noVNC in the SWT browser
        selectInstance("myawesomekvm");
        Gui.click(button(instancesHolder, "Console"));
        assertTrue(console.browser() != null, "WebKitGTK is installed for the console");
        Gui.waitUntil("noVNC connects to the guest's VNC websocket", 60_000,
                () -> "connected".equals(console.browser().evaluate("return document.body.dataset.state")));
        // the canvas noVNC draws the guest's screen on, where the page lays it out, in screen pixels
        Gui.waitUntil("the guest's screen (SeaBIOS and boot loader text) shows in the console", 60_000, () -> {
            Object box = console.browser().evaluate("const c = document.querySelector('canvas');"
                    + " if (!c || c.width < 100) return null; const r = c.getBoundingClientRect();"
                    + " return [r.left, r.top, r.width, r.height];");
            if (!(box instanceof Object[] r)) {
                return false;
            }
            Rectangle canvas = new Rectangle(((Number) r[0]).intValue(), ((Number) r[1]).intValue(),
                    ((Number) r[2]).intValue(), ((Number) r[3]).intValue());
            ImageData screen = Gui.screenshot(console.browser(), 0);
            return Gui.brightPixels(screen, canvas) > 200 && Gui.darkPixels(screen, canvas) > canvas.width * canvas.height / 2;
        });
        Gui.save(shell, "workbench-console");

        // the seed's fourth example: a frontend master, on which the KVM's own entry publishes its console's URL
        int frontendPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            frontendPort = probe.getLocalPort();
        }
        startRequest("frontend");
        Gui.typeInto((Text) request.referenceControl(), "mykvmfrontend");
        typeField("/domain", "localhost");
        typeField("/port", String.valueOf(frontendPort));
        Gui.waitUntil("Review is enabled", () -> request.reviewButton().isEnabled());
        String frontendPlan = reviewAndRequest();
        assertTrue(frontendPlan.contains("A new frontend partition"), frontendPlan);
        waitUntilStarted("mykvmfrontend", 60);
        String consoleUrl = "https://localhost:" + frontendPort + "/myawesomekvm";
        Gui.waitUntil("the KVM publishes its console's URL on the frontend", 60_000, () -> studio.engine().instance("myawesomekvm")
                .flatMap(p -> p.connectionParameters().get("url")).map(consoleUrl::equals).orElse(false));
        selectInstance("myawesomekvm");
        Gui.key('\r', SWT.CR); // opens it in the editor, as a double click does
        Gui.waitUntil("the editor shows the KVM's console URL, to copy or open", 10_000,
                () -> rowText(published, "url").equals(consoleUrl));
        Gui.save(shell, "workbench-frontend");

        // the KVM's parameters saved as a template, then applied to a new request
        Map<String, Object> kvmParameters = request.form().parameters().asMap();
        expectingDialog = true;
        Gui.onNextDialog(shell, dialog -> {
            Text name = Gui.find(dialog, Text.class, t -> true).get(0);
            Gui.typeInto(name, "small-vm");
            Gui.click(button(dialog, "OK"));
        });
        Gui.click(button(request.reviewButton().getParent(), "Save as template…"));
        Gui.waitUntil("the template is listed", 10_000, () -> studio.templates().template("small-vm").isPresent()
                && ((Table) Gui.find(templatesHolder, Table.class, t -> true).get(0)).getItemCount() == 1);
        expectingDialog = false;
        startRequest("nbd"); // another type's empty form: applying the template must bring back all of it
        Table templateTable = Gui.find(templatesHolder, Table.class, t -> true).get(0);
        Gui.clickRow(templateTable, 0, 1);
        Gui.click(button(templatesHolder, "Apply"));
        Gui.waitUntil("the template fills the request editor", () -> ((Text) request.referenceControl()).getText().isEmpty()
                && request.form().schema().location().contains("instance-kvm-input")
                && request.form().parameters().asMap().equals(kvmParameters));

        // the KVM destroyed from Instances
        selectInstance("myawesomekvm");
        expectingDialog = true;
        Gui.onNextDialog(shell, dialog -> Gui.click(button(dialog, "OK")));
        Gui.click(button(instancesHolder, "Destroy…"));
        Gui.waitUntil("the KVM is destroyed", 120_000, () -> studio.engine().instance("myawesomekvm")
                .map(p -> p.requestedState() == RequestedState.DESTROYED && p.isReady()).orElse(true));
        expectingDialog = false;

        // the template renamed through its dialog
        Gui.clickRow(templateTable, 0, 1);
        expectingDialog = true;
        Gui.onNextDialog(shell, dialog -> {
            Gui.typeInto(Gui.find(dialog, Text.class, t -> true).get(0), "small-vm-2");
            Gui.click(button(dialog, "OK"));
        });
        Gui.click(button(templatesHolder, "Rename…"));
        Gui.waitUntil("the template has its new name only", 10_000, () -> studio.templates().template("small-vm-2").isPresent()
                && studio.templates().template("small-vm").isEmpty() && templateTable.getItemCount() == 1
                && templateTable.getItem(0).getText(0).equals("small-vm-2"));
        expectingDialog = false;

        // the Hosts view: the embedded host as probed; a host that does not answer is refused with libvirt's reason
        Table hosts = Gui.find(hostsHolder, Table.class, t -> true).get(0);
        Gui.waitUntil("the embedded host is listed as up", 10_000, () -> hosts.getItemCount() == 1
                && hosts.getItem(0).getText(0).equals("local") && hosts.getItem(0).getText(2).equals("up")
                && List.of("KVM", "TCG (emulated)").contains(hosts.getItem(0).getText(3)));
        List<Text> hostInputs = Gui.find(hostsHolder, Text.class, t -> true);
        Gui.typeInto(hostInputs.get(0), "ghost");
        Gui.typeInto(hostInputs.get(1), "qemu+tcp://127.0.0.1:1/system");
        AtomicReference<String> refusal = new AtomicReference<>();
        expectingDialog = true;
        Gui.onNextDialog(shell, dialog -> {
            StringBuilder said = new StringBuilder(dialog.getText());
            Gui.find(dialog, org.eclipse.swt.widgets.Label.class, l -> true).forEach(l -> said.append(" | ").append(l.getText()));
            refusal.set(said.toString());
            Gui.click(button(dialog, "OK"));
        });
        Gui.click(button(hostsHolder, "Add"));
        Gui.waitUntil("adding a host that does not answer fails in a dialog", 60_000, () -> refusal.get() != null
                && Display.getCurrent().getShells().length == 1);
        expectingDialog = false;
        assertTrue(refusal.get().contains("ghost"), refusal.get());
        assertTrue(studio.hosts().host("ghost").isEmpty(), "nothing is stored for a host that does not answer");
        assertEquals(List.of(), unexpectedDialogs, "no error was shown");
        assertTrue(studio.engine().instance("myawesomekvm").isEmpty() || kvm.id().equals(studio.engine()
                .instance("myawesomekvm").get().id()));
    }

    private void startRequest(String typeId) {
        Table table = Gui.find(releasesHolder, Table.class, t -> true).get(0);
        int row = -1;
        for (int i = 0; i < table.getItemCount(); i++) {
            if (table.getItem(i).getText(1).equals(typeId)) {
                row = i;
            }
        }
        assertTrue(row >= 0, "the Software releases view lists " + typeId);
        Gui.clickRow(table, row, 1);
        Gui.key('\r', SWT.CR); // Enter on a row opens it, as a double click does
        Gui.waitUntil("the request editor shows the form of " + typeId, () -> request.form() != null
                && request.form().schema().location().contains(typeId.equals("default") ? "instance-kvm-input" : "instance-" + typeId));
    }

    private void typeField(String pointer, String value) {
        Text text = (Text) request.form().controlAt(pointer).orElseThrow(() -> new AssertionError("no input at " + pointer));
        Gui.typeInto(text, value);
        Gui.waitUntil(pointer + " shows what was typed", () -> text.getText().equals(value));
    }

    /** Clicks Review, reads the plan, clicks Request; returns the plan's title and domain XML. */
    private String reviewAndRequest() {
        AtomicReference<String> plan = new AtomicReference<>();
        expectingDialog = true;
        Gui.onNextDialog(shell, dialog -> {
            StringBuilder seen = new StringBuilder();
            Gui.find(dialog, org.eclipse.swt.widgets.Label.class, l -> true).forEach(l -> seen.append(l.getText()).append('\n'));
            Gui.find(dialog, Text.class, t -> true).forEach(t -> seen.append(t.getText()).append('\n'));
            seen.append(dialog.getText());
            try {
                Gui.save(dialog, "plan-" + (plan.hashCode() & 0xff));
            } catch (Exception e) {
                seen.append("(no screenshot: ").append(e).append(')');
            }
            plan.set(seen.toString());
            Gui.click(button(dialog, "Request"));
        });
        Gui.click(request.reviewButton());
        Gui.waitUntil("the plan was shown and accepted", 20_000, () -> plan.get() != null && Display.getCurrent().getShells().length == 1);
        expectingDialog = false;
        return plan.get();
    }

    private Partition waitUntilStarted(String reference, int seconds) {
        Gui.waitUntil(reference + " is started", seconds * 1000L, () -> studio.engine().instance(reference)
                .map(p -> p.isReady() && p.status().phase() == Status.Phase.STARTED).orElse(false));
        Gui.waitUntil(reference + " shows in Instances", () -> instances.rows().shown().stream()
                .anyMatch(p -> p.reference().equals(reference) && p.status().phase() == Status.Phase.STARTED));
        return studio.engine().instance(reference).orElseThrow();
    }

    private void selectInstance(String reference) {
        List<Partition> shown = instances.rows().shown();
        for (int i = 0; i < shown.size(); i++) {
            if (shown.get(i).reference().equals(reference)) {
                Gui.clickRow(instances.table(), i, 1);
                int row = i;
                Gui.waitUntil(reference + " is selected", () -> instances.table().isSelected(row));
                return;
            }
        }
        throw new AssertionError(reference + " is not in Instances");
    }

    private static String rowText(Table table, String name) {
        for (int i = 0; i < table.getItemCount(); i++) {
            if (table.getItem(i).getText(0).equals(name)) {
                return table.getItem(i).getText(1);
            }
        }
        return "";
    }

    private static Button button(Composite root, String label) {
        List<Button> found = Gui.find(root, Button.class, b -> label.equals(b.getText()));
        assertTrue(!found.isEmpty(), "a button " + label);
        return found.get(0);
    }

    private static String md5(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }

    /** The tiny guest of releng/scripts/mkguest.sh, built once (the script skips what is done). */
    private static Path guest() throws Exception {
        Path dir = Path.of("/tmp/kvmstudio-guest");
        if (!Files.isRegularFile(dir.resolve("boot.iso"))) {
            Path root = Path.of(System.getProperty("kvmstudio.root", "."));
            Process p = new ProcessBuilder(root.resolve("releng/scripts/mkguest.sh").toString(), dir.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0, "mkguest.sh failed:\n" + out);
        }
        return dir;
    }

    @AfterAll
    static void closeWorkspace() throws Exception {
        if (window != null) {
            window.closeParts();
        }
        if (shell != null) {
            shell.dispose();
        }
        if (studio != null) {
            for (Partition p : List.copyOf(studio.engine().partitions())) {
                if (p.isRoot() && p.requestedState() != RequestedState.DESTROYED) {
                    studio.engine().destroy(p.id());
                }
            }
            studio.engine().process(new NullProgressMonitor());
            service.close(studio);
        }
    }
}
