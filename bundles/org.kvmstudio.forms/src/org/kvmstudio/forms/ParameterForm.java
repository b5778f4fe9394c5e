package org.kvmstudio.forms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.databinding.DataBindingContext;
import org.eclipse.core.databinding.observable.Realm;
import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.core.databinding.observable.value.WritableValue;
import org.eclipse.jface.databinding.swt.DisplayRealm;
import org.eclipse.jface.fieldassist.FieldDecorationRegistry;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Text;
import org.kvmstudio.forms.internal.Editors;
import org.kvmstudio.forms.internal.FieldEditor;
import org.kvmstudio.forms.internal.FormContext;
import org.kvmstudio.forms.internal.Pointers;
import org.kvmstudio.forms.internal.ProblemText;
import org.kvmstudio.input.ParameterText;
import org.kvmstudio.model.InvalidParametersException;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.StudioException;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.schema.SecretValues;

/**
 * The form of a software type's parameters, generated from its JSON Schema: one input per field,
 * checked by the schema engine as the user types (its own messages, decorated at the field they
 * name, and summed up at the top), and a JSON tab editing the same parameters as text, in sync both
 * ways. It needs no workbench: a plain {@code Shell}, a wizard page or a view can hold it.
 *
 * <p>Defaults show as hints and are not part of {@link #parameters()}, as in SlapOS.
 */
public final class ParameterForm {

    private static final int SUMMARY_LINES = 6;
    /** What the JSON tab shows for a secret's value; left as it is, the secret keeps its value. */
    static final String SECRET_KEPT = "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022";

    private final ParameterSchema schema;
    private final Composite top;
    private final DataBindingContext bindings;
    private final FormContext context;
    private final Label summaryIcon;
    private final Label summary;
    private final TabFolder tabs;
    private final ScrolledComposite scroller;
    private final Composite fields;
    private final Text json;
    private final FieldEditor root;
    private final WritableValue<List<ParameterProblem>> problems;
    private final WritableValue<Boolean> valid;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private String jsonProblem;
    private boolean fromJson;
    private boolean toJson;

    public ParameterForm(Composite parent, ParameterSchema schema) {
        this.schema = schema;
        Realm realm = DisplayRealm.getRealm(parent.getDisplay());
        bindings = new DataBindingContext(realm);
        problems = new WritableValue<>(realm, List.of(), List.class);
        valid = new WritableValue<>(realm, Boolean.TRUE, Boolean.class);
        context = new FormContext(schema, bindings, new FormContext.Listener() {
            @Override
            public void valueChanged() {
                formChanged();
            }

            @Override
            public void layoutChanged() {
                relayout();
            }
        });

        top = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(top);
        Composite summaryRow = new Composite(top, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).margins(6, 4).applyTo(summaryRow);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(summaryRow);
        summaryIcon = new Label(summaryRow, SWT.NONE);
        GridDataFactory.swtDefaults().align(SWT.BEGINNING, SWT.BEGINNING).applyTo(summaryIcon);
        summary = new Label(summaryRow, SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(summary);

        tabs = new TabFolder(top, SWT.TOP);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(tabs);
        TabItem formTab = new TabItem(tabs, SWT.NONE);
        formTab.setText("Form");
        scroller = new ScrolledComposite(tabs, SWT.V_SCROLL | SWT.H_SCROLL);
        scroller.setExpandHorizontal(true);
        scroller.setExpandVertical(true);
        fields = new Composite(scroller, SWT.NONE);
        GridLayoutFactory.swtDefaults().numColumns(2).spacing(10, 6).applyTo(fields);
        scroller.setContent(fields);
        formTab.setControl(scroller);

        TabItem jsonTab = new TabItem(tabs, SWT.NONE);
        jsonTab.setText("JSON");
        jsonTab.setToolTipText("The same parameters as JSON, for what the form does not show; checked the same way. "
                + "A secret shows as " + SECRET_KEPT + " and keeps its value unless you type another.");
        json = new Text(tabs, SWT.MULTI | SWT.V_SCROLL | SWT.H_SCROLL | SWT.BORDER);
        json.setFont(JFaceResources.getTextFont());
        jsonTab.setControl(json);
        json.addListener(SWT.Modify, e -> jsonChanged());

        root = Editors.root(schema.root(), context);
        root.create(fields);
        scroller.addListener(SWT.Resize, e -> resized());
        top.addDisposeListener(e -> bindings.dispose());
        revalidate();
        writeJson();
        // the fields past the first screen, once it is painted: the form shows in half the time
        top.getDisplay().asyncExec(this::createLater);
    }

    private void createLater() {
        if (!top.isDisposed() && root.createLater()) {
            relayout();
            revalidate(); // their problems go to their own fields now
        }
    }

    /** The form's outermost control, to lay out in its parent. */
    public Control control() {
        return top;
    }

    public ParameterSchema schema() {
        return schema;
    }

    /** Shows {@code parameters} (older aliases read as their field); what no field shows is kept and reported. */
    public void setParameters(Parameters parameters) {
        Parameters shown = parameters;
        try {
            shown = schema.canonicalize(parameters);
        } catch (InvalidParametersException conflicting) {
            // both names given with different values: shown as given, and the schema says what is wrong
        }
        Map<String, Object> values = shown.asMap();
        context.writing(() -> root.write(values));
        relayout();
        formChanged();
    }

    /**
     * The parameters given (no defaults), as a request sends them.
     *
     * @throws InvalidRequestException when the form holds what is not a parameter set at all (JSON that does not parse)
     */
    public Parameters parameters() {
        if (jsonProblem != null) {
            throw new InvalidRequestException(jsonProblem);
        }
        return Parameters.of(castMap(root.read()));
    }

    /** Every problem the schema (or the form, for text that is not JSON) finds, each at its JSON pointer. */
    public IObservableValue<List<ParameterProblem>> problems() {
        return problems;
    }

    /** Whether the parameters are valid: what a Request button's enablement binds to. */
    public IObservableValue<Boolean> valid() {
        return valid;
    }

    /** Told after every change of a value, by the user or by {@link #setParameters}. */
    public void addChangeListener(Runnable listener) {
        listeners.add(listener);
    }

    /** The input of the field at a concrete pointer ({@code /ram-size}), to focus it or drive it in a test. */
    public Optional<Control> controlAt(String pointer) {
        createLater(); // it may be among the fields made after the first paint
        // the outermost editor of that place: a variant's selector rather than its chosen part's first field
        return editors().stream().filter(e -> e.pointer().equals(pointer)).findFirst().map(FieldEditor::control);
    }

    /** Selects the JSON tab ({@code true}) or the form. */
    public void showJson(boolean showJson) {
        tabs.setSelection(showJson ? 1 : 0);
    }

    /** The JSON tab's text. */
    public Text jsonText() {
        return json;
    }

    private void formChanged() {
        if (!fromJson) {
            jsonProblem = null; // an edit in the form wins over a JSON text that did not parse: it is rewritten
        }
        revalidate();
        if (!fromJson) {
            writeJson();
        }
        listeners.forEach(Runnable::run);
    }

    private void jsonChanged() {
        if (toJson) {
            return;
        }
        try {
            Parameters parsed = Parameters.of(castMap(SecretValues.unmask(schema, ParameterText.parse(json.getText(), false,
                    "the JSON text").asMap(), root.read(), SECRET_KEPT)));
            jsonProblem = null;
            fromJson = true;
            try {
                setParameters(parsed);
            } finally {
                fromJson = false;
            }
        } catch (StudioException | IllegalArgumentException e) {
            jsonProblem = e.getMessage();
            revalidate();
            listeners.forEach(Runnable::run);
        }
    }

    private void writeJson() {
        toJson = true;
        try {
            json.setText(ParameterText.format(Parameters.of(castMap(SecretValues.mask(schema, parameters().asMap(), SECRET_KEPT)))));
        } catch (StudioException | IllegalArgumentException e) {
            // the form holds a value the JSON text cannot show yet; the summary says why
        } finally {
            toJson = false;
        }
    }

    /** Asks the schema, then puts each problem at the deepest editor whose pointer contains it. */
    private void revalidate() {
        List<ParameterProblem> found = new ArrayList<>();
        List<FieldEditor> editors = editors();
        Object values = root.read();
        for (FieldEditor e : editors) {
            if (e.localProblem() != null) {
                found.add(new ParameterProblem(e.pointer(), e.localProblem()));
            }
        }
        if (jsonProblem != null) {
            found.add(new ParameterProblem("", jsonProblem));
        } else if (found.isEmpty()) {
            try {
                found.addAll(schema.validate(Parameters.of(castMap(values))));
            } catch (IllegalArgumentException | StudioException e) { // the model refuses it (too deep, too long, too big)
                found.add(new ParameterProblem("", e.getMessage()));
            }
        }
        Map<String, List<ParameterProblem>> byEditor = new LinkedHashMap<>();
        for (ParameterProblem p : found) {
            FieldEditor at = null;
            for (FieldEditor e : editors) {
                // the deepest editor that shows problems; of two at one place, the inner (an object's table of entries)
                if (e.decorated() && Pointers.within(p.pointer(), e.pointer()) && (at == null || e.pointer().length() >= at.pointer().length())) {
                    at = e;
                }
            }
            if (at != null) {
                byEditor.computeIfAbsent(at.pointer(), k -> new ArrayList<>()).add(p);
            }
        }
        context.problemsByEditor().setValue(Collections.unmodifiableMap(byEditor));
        problems.setValue(List.copyOf(found));
        valid.setValue(found.isEmpty());
        showSummary(found);
    }

    private void showSummary(List<ParameterProblem> found) {
        String text;
        if (found.isEmpty()) {
            summaryIcon.setImage(null);
            text = "The parameters are valid. Fields left empty take the default shown in them.";
        } else {
            summaryIcon.setImage(FieldDecorationRegistry.getDefault().getFieldDecoration(FieldDecorationRegistry.DEC_ERROR).getImage());
            StringBuilder sb = new StringBuilder(found.size() == 1 ? "1 problem:" : found.size() + " problems:");
            for (ParameterProblem p : found.subList(0, Math.min(SUMMARY_LINES, found.size()))) {
                String title = schema.fieldAt(p.pointer()).map(f -> f.title()).orElse(p.pointer().isEmpty() ? "The parameters"
                        : p.pointer().substring(1).replace("~1", "/").replace("~0", "~"));
                sb.append("\n• ").append(ProblemText.of(title, p.pointer(), p));
            }
            if (found.size() > SUMMARY_LINES) {
                sb.append("\n… and ").append(found.size() - SUMMARY_LINES).append(" more, shown at their fields.");
            }
            text = sb.toString();
        }
        if (text.equals(summary.getText())) {
            return;
        }
        int linesBefore = summary.getText().split("\n", -1).length;
        summary.setText(text);
        // the form below moves only when the summary's height changes: laying it out again costs more than anything else here
        if (text.split("\n", -1).length != linesBefore) {
            top.layout(new Control[] {summary}, SWT.DEFER);
        } else {
            summary.getParent().layout(true);
        }
    }

    private List<FieldEditor> editors() {
        List<FieldEditor> all = new ArrayList<>();
        collect(root, all);
        return all;
    }

    private static void collect(FieldEditor e, List<FieldEditor> into) {
        into.add(e);
        for (FieldEditor child : e.children()) {
            collect(child, into);
        }
    }

    /** After fields came or went (a variant swapped): lay them out again and let the scroller know their size. */
    private void relayout() {
        fields.layout(true, true);
        resized();
    }

    /** The scroller's width changed: the fields wrap to it, from the sizes already known. */
    private void resized() {
        int width = Math.max(scroller.getClientArea().width, 400);
        scroller.setMinSize(fields.computeSize(width, SWT.DEFAULT, false));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object rootValue) {
        return rootValue instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
