package org.kvmstudio.ui.parts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Text;
import org.kvmstudio.core.Plan;
import org.kvmstudio.core.Studio;
import org.kvmstudio.forms.ParameterForm;
import org.kvmstudio.model.Filter;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.SoftwareType;
import org.kvmstudio.model.StudioException;
import org.kvmstudio.model.Template;
import org.kvmstudio.schema.LoadedRelease;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.ui.dialogs.PlanDialog;
import org.kvmstudio.ui.jobs.StudioJob;
import org.kvmstudio.ui.preferences.UiPreferences;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The request editor: a software type, a partition reference, the requested state and the form the
 * type's schema generates. Review shows the plan (new or changed, host, domain XML) before anything
 * is sent. Opened on an existing partition it also shows its status and connection parameters.
 */
public class RequestPart {

    /** Topic on which a view asks for a new request of a type: the payload is {@code {releaseUri, typeId}}. */
    public static final String NEW_TOPIC = "kvmstudio/request/new";
    public static final String ID = "org.kvmstudio.ui.part.request";

    /** A software type offered in the type selector. */
    record Choice(String releaseUri, SoftwareType type) {
        String label() {
            return type.title() + " — " + type.softwareType() + (type.shared() ? " (shared)" : "") + " of " + releaseUri;
        }
    }

    @Inject
    UISynchronize ui;
    @Inject
    IEventBroker events;

    private Studio studio;
    private final List<Choice> choices = new ArrayList<>();
    private Combo type;
    private Text reference;
    private Combo state;
    private Composite formHolder;
    private ParameterForm form;
    private Button review;
    private Label instanceStatus;
    private TableViewer connection;
    private Text liveXml;
    private Text eventLog;
    private String lastLogged = "";
    /** What the live domain XML shown was read for (instance, phase, deployed revision, host). */
    private String liveKey;
    /** What the shown partition publishes, by its type's output schema (secrets masked by it); {@code null}: names say. */
    private ParameterSchema outputSchema;
    /** The partition the editor shows, followed live; {@code null} for a new request. */
    private String shownId;
    private final EngineListener engine = new EngineListener(event -> {
        if (event.partition().id().equals(shownId)) {
            ui.asyncExec(() -> {
                if (!instanceStatus.isDisposed() && event.partition().id().equals(shownId)) {
                    showInstance(event.partition());
                }
            });
        }
    });

    @PostConstruct
    public void create(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(6, 6).applyTo(parent);
        Composite head = new Composite(parent, SWT.NONE);
        // two rows: the type's label is long; the reference must keep room to be typed in
        GridLayoutFactory.fillDefaults().numColumns(4).applyTo(head);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(head);
        new Label(head, SWT.NONE).setText("Software type");
        type = new Combo(head, SWT.READ_ONLY);
        GridDataFactory.fillDefaults().grab(true, false).span(3, 1).applyTo(type);
        type.addListener(SWT.Selection, e -> showForm(Parameters.EMPTY));
        new Label(head, SWT.NONE).setText("Reference");
        reference = new Text(head, SWT.BORDER);
        reference.setMessage("partition reference, e.g. myawesomekvm");
        GridDataFactory.fillDefaults().grab(true, false).hint(180, SWT.DEFAULT).applyTo(reference);
        reference.addListener(SWT.Modify, e -> updateEnablement());
        new Label(head, SWT.NONE).setText("State");
        state = new Combo(head, SWT.READ_ONLY);
        state.setItems(RequestedState.STARTED.slapName(), RequestedState.STOPPED.slapName());
        state.select(0);

        SashForm sash = new SashForm(parent, SWT.VERTICAL);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(sash);
        formHolder = new Composite(sash, SWT.NONE);
        formHolder.setLayout(new org.eclipse.swt.layout.FillLayout());
        Composite instance = new Composite(sash, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(instance);
        instanceStatus = new Label(instance, SWT.WRAP);
        instanceStatus.setText("A new request. Open an instance from the Instances view to see or change it.");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(instanceStatus);
        TabFolder details = new TabFolder(instance, SWT.TOP);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(details);
        Composite published = new Composite(details, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).margins(4, 4).applyTo(published);
        connection = new TableViewer(published, SWT.BORDER | SWT.FULL_SELECTION);
        connection.getTable().setHeaderVisible(true);
        column("Connection parameter", 200, e -> ((Map.Entry<?, ?>) e).getKey().toString());
        column("Value", 420, e -> ValueText.of(outputSchema, ((Map.Entry<?, ?>) e).getKey().toString(), ((Map.Entry<?, ?>) e).getValue()));
        connection.setContentProvider(ArrayContentProvider.getInstance());
        GridDataFactory.fillDefaults().grab(true, true).applyTo(connection.getControl());
        Composite copy = new Composite(published, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(copy);
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(copy);
        button(copy, "Copy value", this::copySelected);
        button(copy, "Open URL", this::openSelected);
        connection.addDoubleClickListener(e -> openSelected());
        tab(details, "Connection parameters", published);
        liveXml = new Text(details, SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL);
        liveXml.setFont(JFaceResources.getTextFont());
        tab(details, "Domain XML", liveXml).setToolTipText("What libvirt has defined for the instance now (secrets left out)");
        eventLog = new Text(details, SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.WRAP);
        tab(details, "Events", eventLog).setToolTipText("What happened to the instance while it was shown here");
        sash.setWeights(2, 1);

        Composite actions = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(actions);
        GridDataFactory.fillDefaults().align(SWT.END, SWT.CENTER).applyTo(actions);
        button(actions, "Save as template…", this::saveTemplate);
        review = button(actions, "Review and request…", this::review);
        loadChoices();
    }

    /** The studio, when the workspace is open (it opens after the window shows): its releases' types are offered. */
    @Inject
    @Optional
    void setStudio(Studio opened) {
        if (!engine.follow(opened)) {
            return;
        }
        studio = opened;
        if (type != null && !type.isDisposed()) {
            loadChoices();
        }
    }

    @Inject
    @Optional
    void releasesChanged(@UIEventTopic(ReleasesPart.CHANGED_TOPIC) Object any) {
        if (type != null && !type.isDisposed() && shownId == null) {
            loadChoices();
        }
    }

    private void loadChoices() {
        choices.clear();
        type.removeAll();
        if (studio != null) {
            for (LoadedRelease r : studio.releases().releases()) {
                r.release().types().forEach(t -> choices.add(new Choice(r.release().uri(), t)));
            }
        }
        choices.forEach(c -> type.add(c.label()));
        if (!choices.isEmpty()) {
            type.select(0);
            showForm(Parameters.EMPTY);
        }
        updateEnablement();
    }

    @PreDestroy
    void dispose() {
        engine.follow(null);
    }

    /** A partition's status, what it published (secrets masked), what libvirt has defined for it, and a line for each change. */
    private void showInstance(Partition p) {
        outputSchema = studio.releases().releases().stream().filter(r -> r.release().uri().equals(p.releaseUri())).findFirst()
                .flatMap(r -> r.release().typeFor(p.softwareType(), p.shared()).flatMap(t -> r.output(t.id()))).orElse(null);
        String status = "'" + p.reference() + "' (" + p.id() + ") on " + p.host().orElse("no host yet") + ": "
                + InstanceRows.statusText(p);
        instanceStatus.setText(status);
        connection.setInput(studio.engine().allConnectionParameters(p).asMap().entrySet().toArray());
        String line = p.requestedState().slapName() + " requested, " + InstanceRows.statusText(p);
        if (!line.equals(lastLogged)) {
            eventLog.append(java.time.LocalTime.now().withNano(0) + "  " + line + "\n");
            lastLogged = line;
        }
        // libvirt is asked again only when what it has may have changed, not at every event of the instance
        String key = p.id() + " " + p.status().phase() + " " + p.appliedRevision() + " " + p.hostId();
        if (key.equals(liveKey)) {
            instanceStatus.getParent().layout();
            return;
        }
        liveKey = key;
        Studio from = studio;
        Thread.ofVirtual().name("kvmstudio-live-definition").start(() -> { // libvirt is asked off the UI thread
            String xml = from.engine().liveDefinition(p.id()).orElse("Nothing is defined in libvirt for this instance now.");
            ui.asyncExec(() -> {
                if (!liveXml.isDisposed() && p.id().equals(shownId) && !xml.equals(liveXml.getText())) {
                    liveXml.setText(xml);
                }
            });
        });
        instanceStatus.getParent().layout();
    }

    /** The editor shows a new request again: nothing is followed. */
    private void showNew(String what) {
        shownId = null;
        reference.setText("");
        connection.setInput(new Object[0]);
        liveXml.setText("");
        liveKey = null;
        eventLog.setText("");
        lastLogged = "";
        instanceStatus.setText(what);
    }

    private static TabItem tab(TabFolder folder, String title, Control control) {
        TabItem item = new TabItem(folder, SWT.NONE);
        item.setText(title);
        item.setControl(control);
        return item;
    }

    private Button button(Composite parent, String label, Runnable run) {
        Button b = new Button(parent, SWT.PUSH);
        b.setText(label);
        b.addListener(SWT.Selection, e -> run.run());
        GridDataFactory.fillDefaults().applyTo(b);
        return b;
    }

    private void column(String title, int width, java.util.function.Function<Object, String> text) {
        TableViewerColumn c = new TableViewerColumn(connection, SWT.NONE);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(ColumnLabelProvider.createTextProvider(text));
    }

    private Choice choice() {
        int i = type.getSelectionIndex();
        return i < 0 ? null : choices.get(i);
    }

    private ParameterSchema schema(Choice c) {
        return studio.releases().release(c.releaseUri()).inputFor(c.type().softwareType(), c.type().shared());
    }

    /** Replaces the form by the chosen type's, showing {@code parameters}. */
    private void showForm(Parameters parameters) {
        if (form != null) {
            form.control().dispose();
            form = null;
        }
        Choice c = choice();
        if (c != null) {
            try {
                form = new ParameterForm(formHolder, schema(c));
                form.setParameters(parameters);
                form.addChangeListener(this::updateEnablement);
            } catch (StudioException e) {
                Label problem = new Label(formHolder, SWT.WRAP);
                problem.setText("This software type cannot be requested: " + e.getMessage());
            }
        }
        formHolder.layout(true, true);
        updateEnablement();
    }

    private void updateEnablement() {
        if (review == null || review.isDisposed()) {
            return;
        }
        boolean referenceOk;
        try {
            InstanceRequest.checkReference(reference.getText());
            referenceOk = true;
        } catch (RuntimeException e) {
            referenceOk = false;
        }
        review.setEnabled(studio != null && form != null && referenceOk && Boolean.TRUE.equals(form.valid().getValue()));
        review.setToolTipText(referenceOk ? null : "Give the partition a reference first");
    }

    private InstanceRequest request() {
        Choice c = choice();
        // an instance keeps where it is; a new one goes to the default host, when the preferences name one
        Filter filter = studio.engine().instance(reference.getText()).map(Partition::filter)
                .orElseGet(() -> UiPreferences.defaultHost().isEmpty() ? Filter.NONE
                        : Filter.of(Map.of(Filter.COMPUTER_GUID, UiPreferences.defaultHost())));
        return new InstanceRequest(c.releaseUri(), reference.getText(), c.type().softwareType(), form.parameters(),
                c.type().shared(), RequestedState.parse(state.getText()), filter);
    }

    /** The plan first (without touching any host), then the request as a Job. */
    private void review() {
        InstanceRequest request;
        Plan plan;
        try {
            request = request();
            plan = studio.engine().plan(request);
        } catch (RuntimeException e) {
            MessageDialog.openError(review.getShell(), "Cannot request", e.getMessage());
            return;
        }
        if (new PlanDialog(review.getShell(), plan, form.schema()).open() != Window.OK) {
            return;
        }
        StudioJob.schedule("Requesting '" + request.reference() + "'", review.getShell(), ui, monitor -> {
            Partition requested = studio.engine().request(request);
            ui.asyncExec(() -> { // the editor now follows the instance it requested
                if (!instanceStatus.isDisposed()) {
                    if (!requested.id().equals(shownId)) {
                        eventLog.setText("");
                        lastLogged = "";
                    }
                    shownId = requested.id();
                    showInstance(requested);
                }
            });
        });
    }

    private void saveTemplate() {
        Choice c = choice();
        if (c == null || form == null || studio == null) {
            return;
        }
        Parameters parameters;
        try {
            parameters = form.parameters();
        } catch (RuntimeException e) {
            MessageDialog.openError(review.getShell(), "Save as template", e.getMessage());
            return;
        }
        if (!Boolean.TRUE.equals(form.valid().getValue()) && !MessageDialog.openQuestion(review.getShell(), "Save as template",
                "The parameters have problems (see the top of the form). Save them as a template anyway?")) {
            return;
        }
        InputDialog ask = new InputDialog(review.getShell(), "Save as template",
                "Template name (letters, digits, '.', '-', '_' or spaces):", reference.getText(), name -> {
                    try {
                        Template.checkName(name);
                        return null;
                    } catch (RuntimeException e) {
                        return e.getMessage();
                    }
                });
        if (ask.open() != IDialogConstants.OK_ID) {
            return;
        }
        Template template = new Template(ask.getValue(), "", c.releaseUri(), c.type().softwareType(), c.type().shared(), parameters);
        Set<String> secrets = studio.templates().secretsOf(template);
        if (!secrets.isEmpty() && !MessageDialog.openConfirm(review.getShell(), "Save as template",
                "Secret parameters are not kept in templates (a template is a file people copy): "
                        + String.join(", ", secrets) + ". Give them again when you use the template. Save it without them?")) {
            return;
        }
        StudioJob.schedule("Saving template '" + template.name() + "'", review.getShell(), ui, monitor -> {
            studio.templates().save(template);
            events.post(TemplatesPart.CHANGED_TOPIC, template.name());
        });
    }

    /** Shows a partition: its request in the form, its status and what it published. */
    @Inject
    @Optional
    void open(@UIEventTopic(InstancesPart.OPEN_TOPIC) Partition p) {
        int found = -1;
        for (int i = 0; i < choices.size(); i++) {
            Choice c = choices.get(i);
            if (c.releaseUri().equals(p.releaseUri()) && c.type().softwareType().equals(p.softwareType()) && c.type().shared() == p.shared()) {
                found = i;
            }
        }
        if (found < 0) { // never its parameters in another type's form
            MessageDialog.openInformation(review.getShell(), "Open instance", "'" + p.reference() + "' is of "
                    + p.softwareType() + " of " + p.releaseUri() + ", which is not installed: it can be seen in Instances, "
                    + "stopped or destroyed, not edited.");
            return;
        }
        type.select(found);
        reference.setText(p.reference());
        state.select(p.requestedState() == RequestedState.STOPPED ? 1 : 0);
        showForm(studio.engine().allParameters(p)); // its secrets too: the form masks them and checks them as given
        if (!p.id().equals(shownId)) {
            eventLog.setText("");
            lastLogged = "";
        }
        shownId = p.id();
        showInstance(p);
    }

    /** Starts a new request of a type chosen elsewhere (the Software releases view). */
    @Inject
    @Optional
    void newRequest(@UIEventTopic(NEW_TOPIC) String[] releaseAndType) {
        for (int i = 0; i < choices.size(); i++) {
            if (choices.get(i).releaseUri().equals(releaseAndType[0]) && choices.get(i).type().id().equals(releaseAndType[1])) {
                type.select(i);
                showNew("A new request of " + choices.get(i).label() + ".");
                showForm(Parameters.EMPTY);
            }
        }
    }

    /** Fills the editor from a template, for a new partition: its type and parameters, no reference yet. */
    @Inject
    @Optional
    void applyTemplate(@UIEventTopic(TemplatesPart.APPLY_TOPIC) Template template) {
        for (int i = 0; i < choices.size(); i++) {
            Choice c = choices.get(i);
            if (c.releaseUri().equals(template.releaseUri()) && c.type().softwareType().equals(template.softwareType())
                    && c.type().shared() == template.shared()) {
                type.select(i);
                showNew("A new request from the template '" + template.name() + "'. Give it a reference.");
                showForm(template.parameters());
                reference.setFocus();
                return;
            }
        }
        MessageDialog.openError(review.getShell(), "Apply template", "The template '" + template.name() + "' is for "
                + template.softwareType() + " of " + template.releaseUri() + ", which is not installed.");
    }

    private Map.Entry<?, ?> selectedEntry() {
        Object first = connection.getStructuredSelection().getFirstElement();
        return first instanceof Map.Entry<?, ?> e ? e : null;
    }

    private void copySelected() {
        Map.Entry<?, ?> e = selectedEntry();
        if (e != null) {
            Clipboard clipboard = new Clipboard(connection.getControl().getDisplay());
            try {
                clipboard.setContents(new Object[] {String.valueOf(e.getValue())}, new Transfer[] {TextTransfer.getInstance()});
            } finally {
                clipboard.dispose();
            }
        }
    }

    private void openSelected() {
        Map.Entry<?, ?> e = selectedEntry();
        if (e != null && String.valueOf(e.getValue()).matches("(?i)(https?|wss?)://\\S+")) {
            Program.launch(String.valueOf(e.getValue()));
        }
    }

    /** For tests: the form shown, if any. */
    public ParameterForm form() {
        return form;
    }

    Control referenceControl() {
        return reference;
    }

    Button reviewButton() {
        return review;
    }

    Text liveXmlText() {
        return liveXml;
    }
}
