package org.kvmstudio.ui.preferences;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.core.runtime.Platform;
import org.eclipse.jface.preference.PreferenceStore;
import org.kvmstudio.workspace.Workspace;
import org.osgi.framework.FrameworkUtil;

/**
 * The desktop application's preferences: the workspace it opens and the host new requests go to.
 * Kept in the application's state area (the launcher's {@code -data}), as a JFace preference store.
 */
public final class UiPreferences {

    /** The workspace folder; empty: {@code ~/.kvmstudio}. */
    public static final String WORKSPACE = "workspace";
    /** The host new requests are placed on ({@code computer_guid}); empty: the host that fits best. */
    public static final String DEFAULT_HOST = "defaultHost";

    private static PreferenceStore store;

    private UiPreferences() {
    }

    public static synchronized PreferenceStore store() {
        if (store == null) {
            Path file = Path.of(Platform.getStateLocation(FrameworkUtil.getBundle(UiPreferences.class)).toOSString(),
                    "preferences.properties");
            store = new PreferenceStore(file.toString());
            store.setDefault(WORKSPACE, "");
            store.setDefault(DEFAULT_HOST, "");
            try {
                store.load();
            } catch (IOException none) {
                // first start: the defaults
            }
        }
        return store;
    }

    /**
     * The workspace to open: the one the command line or the environment names
     * ({@code -Dkvmstudio.workspace}, {@code KVMSTUDIO_WORKSPACE}), else the preference, else the default.
     */
    public static Path workspace() {
        boolean given = notBlank(System.getProperty(Workspace.LOCATION_PROPERTY)) || notBlank(System.getenv(Workspace.LOCATION_VARIABLE));
        String preferred = store().getString(WORKSPACE);
        return given || !notBlank(preferred) ? Workspace.defaultLocation() : Path.of(preferred);
    }

    public static String defaultHost() {
        return store().getString(DEFAULT_HOST).strip();
    }

    public static void save() throws IOException {
        store().save();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
