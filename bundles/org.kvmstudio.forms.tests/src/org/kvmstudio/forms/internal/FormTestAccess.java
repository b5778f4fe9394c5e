package org.kvmstudio.forms.internal;

/** What the form tests and benchmark outside this package need to know of it. */
public final class FormTestAccess {

    private FormTestAccess() {
    }

    /** How many fields of a form's own object are made before the first paint. */
    public static int firstScreen() {
        return ObjectEditor.FIRST_SCREEN;
    }
}
