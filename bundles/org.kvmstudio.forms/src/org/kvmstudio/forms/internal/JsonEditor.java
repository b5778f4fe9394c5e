package org.kvmstudio.forms.internal;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.kvmstudio.schema.Field;

/**
 * A field the form cannot express with widgets (a list of objects, a value of several types): its
 * value as JSON text, with a line saying why. The schema still checks it like any other.
 */
final class JsonEditor extends FieldEditor {

    private final String reason;
    private Text text;
    private String problem;

    JsonEditor(Field field, String pointer, FormContext context, String reason) {
        super(field, pointer, context);
        this.reason = reason;
    }

    @Override
    public void create(Composite parent) {
        Composite box = tallInput(parent, 1);
        text = new Text(box, SWT.BORDER | SWT.MULTI | SWT.V_SCROLL | SWT.WRAP);
        text.setFont(JFaceResources.getTextFont());
        text.setToolTipText(tooltip());
        text.setMessage(Hints.defaultHint(field));
        text.setEditable(!field.readOnly());
        GridDataFactory.fillDefaults().grab(true, false).hint(200, text.getLineHeight() * 3).applyTo(text);
        Label note = new Label(box, SWT.WRAP);
        note.setText("Edited as JSON: " + reason + ".");
        note.setForeground(note.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
        GridDataFactory.fillDefaults().grab(true, false).hint(200, SWT.DEFAULT).applyTo(note);
        text.addListener(SWT.Modify, e -> context.changed());
        decorate(text);
    }

    @Override
    public Object read() {
        problem = null;
        String t = text.getText();
        if (t.isBlank()) {
            return null;
        }
        try {
            return Values.parseJson(t);
        } catch (IllegalArgumentException e) {
            if (field.types().isEmpty()) {
                return t; // the schema says nothing of the type: what is not JSON is a text
            }
            problem = e.getMessage();
            return null;
        }
    }

    @Override
    public String localProblem() {
        return problem;
    }

    @Override
    public void write(Object v) {
        text.setText(v == null ? "" : Values.json(v));
    }

    @Override
    public Control control() {
        return text;
    }
}
