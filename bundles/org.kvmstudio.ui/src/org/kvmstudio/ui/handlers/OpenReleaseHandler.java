package org.kvmstudio.ui.handlers;

import java.nio.file.Path;
import java.util.Locale;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.kvmstudio.core.Studio;
import org.kvmstudio.schema.LoadedRelease;
import org.kvmstudio.schema.ReleaseLoader;
import org.kvmstudio.schema.SchemaLoadException;
import org.kvmstudio.ui.parts.ReleasesPart;

import jakarta.inject.Named;

/**
 * File › Open Release: a release's {@code software.cfg.json} (with the schemas it names, also in a
 * sibling release's folder), or one schema file as a release of one type. Its requests are
 * validated and recorded; nothing deploys a type no provisioner knows.
 */
public class OpenReleaseHandler {

    @CanExecute
    boolean canExecute(@Optional Studio studio) {
        return studio != null;
    }

    @Execute
    void execute(Studio studio, @Named(IServiceConstants.ACTIVE_SHELL) Shell shell, IEventBroker events) {
        FileDialog dialog = new FileDialog(shell, SWT.OPEN);
        dialog.setText("Open a software release or a schema");
        dialog.setFilterExtensions(new String[] {"*.json", "*"});
        dialog.setFilterNames(new String[] {"software.cfg.json or a JSON Schema", "All files"});
        String chosen = dialog.open();
        if (chosen == null) {
            return;
        }
        Path file = Path.of(chosen);
        String uri = file.toAbsolutePath().normalize().toUri().toString();
        try {
            boolean descriptor = file.getFileName().toString().toLowerCase(Locale.ROOT).startsWith("software.cfg");
            LoadedRelease release = descriptor ? ReleaseLoader.open(file, uri) : ReleaseLoader.openSchema(file, uri);
            studio.releases().add(release);
            events.post(ReleasesPart.CHANGED_TOPIC, uri);
            if (!release.problems().isEmpty()) {
                MessageDialog.openWarning(shell, "Open release", "The release is open, but some of its types cannot be requested:\n\n"
                        + String.join("\n", release.problems()));
            }
        } catch (SchemaLoadException | RuntimeException e) {
            MessageDialog.openError(shell, "Open release", "Cannot open " + file + ": " + e.getMessage());
        }
    }
}
