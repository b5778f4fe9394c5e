package org.kvmstudio.ui.preferences;

import java.io.IOException;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.preference.DirectoryFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.preference.PreferenceManager;
import org.eclipse.jface.preference.PreferenceNode;
import org.eclipse.jface.preference.StringFieldEditor;
import org.eclipse.swt.widgets.Shell;

/** File › Preferences: the workspace location and the default host, as JFace field-editor pages. */
public final class PreferencesDialogs {

    private PreferencesDialogs() {
    }

    static final class WorkspacePage extends FieldEditorPreferencePage {
        WorkspacePage() {
            super("Workspace", GRID);
            setDescription("The folder KVM Studio keeps its partitions, hosts and templates in. "
                    + "Empty: ~/.kvmstudio. KVMSTUDIO_WORKSPACE, when set, wins. Takes effect at the next start.");
        }

        @Override
        protected void createFieldEditors() {
            addField(new DirectoryFieldEditor(UiPreferences.WORKSPACE, "Workspace folder:", getFieldEditorParent()));
        }
    }

    static final class HostsPage extends FieldEditorPreferencePage {
        HostsPage() {
            super("Hosts", GRID);
            setDescription("The host new requests are placed on (its id in the Hosts view, such as 'local'). "
                    + "Empty: the host with room that fits best.");
        }

        @Override
        protected void createFieldEditors() {
            addField(new StringFieldEditor(UiPreferences.DEFAULT_HOST, "Default host:", getFieldEditorParent()));
        }
    }

    public static void open(Shell shell) {
        PreferenceManager pages = new PreferenceManager();
        pages.addToRoot(new PreferenceNode("workspace", new WorkspacePage()));
        pages.addToRoot(new PreferenceNode("hosts", new HostsPage()));
        PreferenceDialog dialog = new PreferenceDialog(shell, pages);
        dialog.setPreferenceStore(UiPreferences.store());
        if (dialog.open() == PreferenceDialog.OK) {
            try {
                UiPreferences.save();
            } catch (IOException e) {
                MessageDialog.openError(shell, "Preferences", "The preferences could not be saved: " + e.getMessage());
            }
        }
    }
}
