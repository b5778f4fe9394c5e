package org.kvmstudio.forms.internal;

import java.math.BigDecimal;

import org.eclipse.core.databinding.conversion.IConverter;
import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.jface.databinding.swt.typed.WidgetProperties;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.events.KeyAdapter;
import org.eclipse.swt.events.KeyEvent;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Text;
import org.kvmstudio.schema.Field;
import org.kvmstudio.schema.FieldType;

/**
 * A text, integer or number field: one line, several for SlapOS's {@code textarea}, masked with a
 * reveal toggle for a secret. Up and Down step a number by its {@code multipleOf} within its bounds.
 */
final class TextEditor extends BoundEditor {

    private Text text;
    private Button reveal;

    TextEditor(Field field, String pointer, FormContext context) {
        super(field, pointer, context);
    }

    @Override
    public void create(Composite parent) {
        label(parent);
        Composite input = parent;
        if (field.secret()) { // the input and its Show toggle side by side
            input = new Composite(parent, SWT.NONE);
            GridLayoutFactory.fillDefaults().numColumns(2).applyTo(input);
            GridDataFactory.fillDefaults().grab(true, false).applyTo(input);
        }
        int style = SWT.BORDER | (field.textarea() ? SWT.MULTI | SWT.WRAP | SWT.V_SCROLL : SWT.SINGLE)
                | (field.secret() && !field.textarea() ? SWT.PASSWORD : 0);
        text = new Text(input, style);
        text.setMessage(Hints.defaultHint(field));
        text.setToolTipText(tooltip());
        text.setEditable(!field.readOnly());
        GridData layout = GridDataFactory.fillDefaults().grab(true, false)
                .hint(200, field.textarea() ? text.getLineHeight() * 4 : SWT.DEFAULT).create();
        text.setLayoutData(layout);
        if (field.secret()) {
            reveal = new Button(input, SWT.TOGGLE);
            reveal.setText("Show");
            reveal.setToolTipText("Show or hide the " + field.title());
            GridDataFactory.swtDefaults().align(SWT.BEGINNING, SWT.BEGINNING).applyTo(reveal);
            if (field.textarea()) {
                // several lines cannot be masked character by character: hidden until shown
                Composite box = input;
                setShown(layout, false);
                reveal.addListener(SWT.Selection, e -> {
                    setShown(layout, reveal.getSelection());
                    box.getParent().layout(true, true);
                    context.relayout();
                });
            } else {
                char mask = text.getEchoChar(); // the toolkit's own
                reveal.addListener(SWT.Selection, e -> text.setEchoChar(reveal.getSelection() ? '\0' : mask));
            }
        }
        if ((field.type() == FieldType.INTEGER || field.type() == FieldType.NUMBER) && !field.readOnly()) {
            text.addKeyListener(new KeyAdapter() {
                @Override
                public void keyPressed(KeyEvent e) {
                    if (e.keyCode == SWT.ARROW_UP || e.keyCode == SWT.ARROW_DOWN) {
                        step(e.keyCode == SWT.ARROW_UP ? 1 : -1);
                        e.doit = false;
                    }
                }
            });
        }
        IObservableValue<String> typed = WidgetProperties.text(SWT.Modify).observe(text);
        IConverter<String, Object> fromText = IConverter.create(String.class, Object.class, t -> Values.parse(t, field.type()));
        IConverter<Object, String> toText = IConverter.create(Object.class, String.class, Values::text);
        bind(typed, fromText, toText);
    }

    private void setShown(GridData layout, boolean shown) {
        layout.exclude = !shown;
        text.setVisible(shown);
    }

    /** Up/Down on a number: the next multiple of the step, kept within the bounds. */
    private void step(int direction) {
        BigDecimal step = field.multipleOf().orElse(BigDecimal.ONE);
        Object current = value();
        BigDecimal from = current instanceof Number n ? new BigDecimal(n.toString())
                : field.defaultValue().filter(Number.class::isInstance).map(d -> new BigDecimal(d.toString()))
                        .orElse(field.minimum().orElse(BigDecimal.ZERO));
        BigDecimal next = from.add(step.multiply(BigDecimal.valueOf(direction)));
        if (field.minimum().isPresent() && next.compareTo(field.minimum().get()) < 0) {
            next = field.minimum().get();
        }
        if (field.maximum().isPresent() && next.compareTo(field.maximum().get()) > 0) {
            next = field.maximum().get();
        }
        text.setText(field.type() == FieldType.INTEGER ? next.toBigInteger().toString() : next.stripTrailingZeros().toPlainString());
        text.setSelection(text.getText().length());
    }

    @Override
    public Control control() {
        return text;
    }
}
