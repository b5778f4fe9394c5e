package org.kvmstudio.ui.parts;

import java.io.IOException;
import java.net.URI;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTError;
import org.eclipse.swt.browser.Browser;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.kvmstudio.console.ConsoleServer;
import org.kvmstudio.core.Studio;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.Status;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * A virtual machine's screen through noVNC, in the SWT browser (WebKitGTK). Where no browser engine
 * is available, a button opens the same page in the system's browser.
 */
public class ConsolePart {

    /** Posted with a {@link Partition} to show its console. */
    public static final String SHOW_TOPIC = "kvmstudio/console/show";
    public static final String ID = "org.kvmstudio.ui.part.console";

    private Studio studio;
    private ConsoleServer server;
    private Browser browser;
    private Label message;
    private Button external;
    /** The console shown: what a new one-time link for the system browser is made of. */
    private String title;
    private URI websocketUrl;
    private String password;

    @PostConstruct
    public void create(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(4, 4).numColumns(2).applyTo(parent);
        message = new Label(parent, SWT.WRAP);
        message.setText("Select a virtual machine in Instances and click Console.");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(message);
        external = new Button(parent, SWT.PUSH);
        external.setText("Open in the system browser");
        external.setEnabled(false);
        external.addListener(SWT.Selection, e -> openExternally());
        try {
            browser = new Browser(parent, SWT.NONE);
            GridDataFactory.fillDefaults().grab(true, true).span(2, 1).applyTo(browser);
        } catch (SWTError noEngine) {
            browser = null;
            message.setText("No browser engine is available here (" + noEngine.getMessage()
                    + "): consoles open in the system browser. Install WebKitGTK (libwebkit2gtk-4.1-0) to see them here.");
        }
    }

    @Inject
    @Optional
    void show(@UIEventTopic(SHOW_TOPIC) Partition partition) {
        if (studio == null || message.isDisposed()) {
            return;
        }
        Parameters published = studio.engine().allConnectionParameters(partition);
        java.util.Optional<Object> websocket = published.get("backend-url");
        java.util.Optional<Object> password = published.get("password");
        if (websocket.isEmpty() || password.isEmpty()) {
            // a guest running on another machine publishes no console address; its status says where it is
            boolean running = partition.isReady() && partition.status().phase() == Status.Phase.STARTED;
            String why = partition.status().message();
            message.setText(!running ? "'" + partition.reference() + "' has no console published yet: it shows once the virtual machine runs."
                    : why.isBlank() ? "'" + partition.reference() + "' runs without a console (enable-novnc-server is off)."
                    : "'" + partition.reference() + "' has no console this machine reaches: " + why);
            return;
        }
        title = partition.reference();
        websocketUrl = URI.create(String.valueOf(websocket.get()));
        this.password = String.valueOf(password.get());
        URI page = link();
        if (page == null) {
            return;
        }
        message.setText("Console of '" + partition.reference() + "' (" + partition.id() + ")");
        external.setEnabled(true);
        if (browser != null) {
            browser.setUrl(page.toString());
        } else {
            Program.launch(page.toString());
        }
        message.getParent().layout();
    }

    /** A one-time link to the console shown (each page spends its own), or {@code null} when it cannot be served. */
    private URI link() {
        try {
            if (server == null) {
                server = ConsoleServer.start();
            }
            return server.open(title, websocketUrl, password);
        } catch (IOException | IllegalArgumentException e) {
            message.setText("The console of '" + title + "' cannot be shown: " + e.getMessage());
            return null;
        }
    }

    private void openExternally() {
        URI page = websocketUrl == null ? null : link();
        if (page != null) {
            Program.launch(page.toString());
        }
    }

    /** The studio, when the workspace is open (it opens after the window shows). */
    @Inject
    @Optional
    void setStudio(Studio opened) {
        studio = opened;
    }

    /** For tests: the browser showing the console, if there is an engine. */
    public Browser browser() {
        return browser;
    }

    @PreDestroy
    void dispose() {
        if (server != null) {
            server.close();
        }
    }
}
