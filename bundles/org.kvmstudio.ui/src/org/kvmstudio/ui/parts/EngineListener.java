package org.kvmstudio.ui.parts;

import org.kvmstudio.core.Studio;
import org.kvmstudio.model.InstanceListener;

/**
 * A view's listener on the engine of the studio it shows, moved along when the studio arrives (the
 * workspace opens after the window) and removed when the view closes.
 */
final class EngineListener {

    private final InstanceListener listener;
    private Studio studio;

    EngineListener(InstanceListener listener) {
        this.listener = listener;
    }

    /** Listens to {@code next}'s engine instead; {@code false} when it was that studio already. */
    boolean follow(Studio next) {
        if (next == studio) {
            return false;
        }
        if (studio != null) {
            studio.engine().removeListener(listener);
        }
        studio = next;
        if (studio != null) {
            studio.engine().addListener(listener);
        }
        return true;
    }
}
