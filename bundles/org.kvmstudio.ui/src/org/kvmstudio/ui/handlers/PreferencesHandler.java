package org.kvmstudio.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.swt.widgets.Shell;
import org.kvmstudio.ui.preferences.PreferencesDialogs;

import jakarta.inject.Named;

/** File › Preferences. */
public class PreferencesHandler {

    @Execute
    void execute(@Named(IServiceConstants.ACTIVE_SHELL) Shell shell) {
        PreferencesDialogs.open(shell);
    }
}
