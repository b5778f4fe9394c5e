package org.kvmstudio.forms.internal;

import java.util.List;

import org.eclipse.core.databinding.observable.IObservable;
import org.eclipse.jface.databinding.fieldassist.ControlDecorationSupport;
import org.eclipse.jface.databinding.swt.ISWTObservable;
import org.eclipse.jface.databinding.swt.typed.WidgetProperties;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.kvmstudio.schema.Field;

/**
 * The widgets of one field of a form, laid out in the two columns of its parent (label, input),
 * and the field's value as a plain JSON value: {@code null} when the field is left empty, which
 * means "not given" (the schema's default then applies, as in SlapOS, and is not sent).
 */
public abstract class FieldEditor {

    protected final Field field;
    protected final String pointer;
    protected final FormContext context;
    private boolean decorated;

    protected FieldEditor(Field field, String pointer, FormContext context) {
        this.field = field;
        this.pointer = pointer;
        this.context = context;
    }

    /** Creates the widgets in {@code parent}, a two-column grid. */
    public abstract void create(Composite parent);

    /** The value given, or {@code null} for none. */
    public abstract Object read();

    /** Shows {@code value} ({@code null}: none given). */
    public abstract void write(Object value);

    /** The widget a person types into or clicks first; decorated with the field's problems. */
    public abstract Control control();

    /** Editors inside this one that show their own problems (those of a section, of the chosen variant). */
    public List<FieldEditor> children() {
        return List.of();
    }

    /** A problem this editor finds itself (text that is not JSON), before the schema can say anything. */
    public String localProblem() {
        return null;
    }

    /** Whether this editor shows problems at its widget (a section laid out inline shows none: its fields do). */
    public boolean decorated() {
        return decorated;
    }

    /** Makes the parts left for after the first paint, if any; whether it made some (then the form lays out and checks again). */
    public boolean createLater() {
        return false;
    }

    /** The concrete JSON pointer of the value ({@code /external-disk/data}). */
    public String pointer() {
        return pointer;
    }

    public Field field() {
        return field;
    }

    /** The field's label in the first column: its title, marked when the schema requires it. */
    protected Label label(Composite parent) {
        Label label = new Label(parent, SWT.NONE);
        label.setText(field.title() + (field.required() ? " *" : ""));
        label.setToolTipText(tooltip());
        GridDataFactory.swtDefaults().align(SWT.BEGINNING, SWT.CENTER).indent(8, 0).applyTo(label);
        return label;
    }

    /** A titled section spanning both columns, itself a two-column grid, for an object's or a variant's fields. */
    protected Composite section(Composite parent) {
        Group group = new Group(parent, SWT.NONE);
        group.setText(field.title() + (field.required() ? " *" : ""));
        group.setToolTipText(tooltip());
        GridLayoutFactory.swtDefaults().numColumns(2).applyTo(group);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).indent(8, 0).applyTo(group);
        return group;
    }

    /**
     * The label at the top of a tall input (a list, a table), and the box beside it holding the input
     * and its buttons in {@code columns} columns.
     */
    protected Composite tallInput(Composite parent, int columns) {
        label(parent).setLayoutData(GridDataFactory.swtDefaults().align(SWT.BEGINNING, SWT.BEGINNING).indent(8, 4).create());
        Composite box = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(columns).applyTo(box);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(box);
        return box;
    }

    /** The description, then what the schema allows, for the label's and the input's tooltip. */
    protected String tooltip() {
        StringBuilder sb = new StringBuilder(field.description().isBlank() ? field.title() : field.description());
        String allowed = Hints.allowed(field);
        if (!allowed.isEmpty()) {
            sb.append("\n\n").append(allowed);
        }
        return sb.toString();
    }

    /**
     * Puts the schema's problems at this field on {@code target}'s widget: a decoration beside it
     * with the message, and a status the form's aggregate counts.
     */
    protected void decorate(IObservable target) {
        decorated = true;
        FieldStatus status = new FieldStatus(context, pointer, field.title(), target);
        context.bindings().addValidationStatusProvider(status);
        ControlDecorationSupport support = ControlDecorationSupport.create(status, SWT.TOP | SWT.LEFT);
        // a variant's fields are disposed when another variant is chosen: their status goes with them
        ((ISWTObservable) target).getWidget().addListener(SWT.Dispose, e -> {
            support.dispose();
            context.bindings().removeValidationStatusProvider(status);
            status.dispose();
        });
    }

    /** {@link #decorate(IObservable)} for a widget whose own value is not bound (a list, a table, a section). */
    protected void decorate(Control control) {
        decorate(WidgetProperties.enabled().observe(control));
    }
}
