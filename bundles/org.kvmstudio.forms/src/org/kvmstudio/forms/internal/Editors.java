package org.kvmstudio.forms.internal;

import org.kvmstudio.schema.Field;

/** Picks the editor of a field from what its schema says, never from its name or software type. */
public final class Editors {

    private Editors() {
    }

    /** The editor of the whole parameter set: its fields laid out in the form itself. */
    public static FieldEditor root(Field root, FormContext context) {
        return root.variants().isEmpty() ? new ObjectEditor(root, "", context, true) : new VariantEditor(root, "", context, true);
    }

    static FieldEditor create(Field field, String pointer, FormContext context) {
        if (!field.variants().isEmpty()) {
            return new VariantEditor(field, pointer, context, false);
        }
        if (field.isEnum() || field.hasConst()) {
            return new ChoiceEditor(field, pointer, context);
        }
        return switch (field.type()) {
            case BOOLEAN -> new CheckEditor(field, pointer, context);
            case STRING, INTEGER, NUMBER -> new TextEditor(field, pointer, context);
            case ARRAY -> ListEditor.accepts(field) ? new ListEditor(field, pointer, context)
                    : new JsonEditor(field, pointer, context, "the form shows lists of texts, numbers or yes/no values only");
            case OBJECT -> new ObjectEditor(field, pointer, context, false);
            default -> new JsonEditor(field, pointer, context, field.types().size() > 1
                    ? "the value may be of several types (" + String.join(", ", field.types().stream().map(t -> t.jsonName()).toList()) + ")"
                    : "the schema does not say what type the value is");
        };
    }
}
