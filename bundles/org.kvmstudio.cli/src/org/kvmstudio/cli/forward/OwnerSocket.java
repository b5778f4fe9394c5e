package org.kvmstudio.cli.forward;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the owner of a workspace listens: {@code <workspace>/run/owner.sock}, in a folder only its
 * user may enter. The workspace is found as the platform finds it: {@code --workspace}, else
 * {@code KVMSTUDIO_WORKSPACE}, else {@code ~/.kvmstudio}; the native client
 * ({@code native/kvmstudio-forward.c}) finds it by the same rule.
 */
public final class OwnerSocket {

    private OwnerSocket() {
    }

    public static Path of(Path workspace) {
        return workspace.resolve("run").resolve("owner.sock");
    }

    /** The workspace the arguments name (before the command), or the default one. */
    public static Path workspace(List<String> args, String cwd) {
        Optional<String> given = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--workspace") && i + 1 < args.size()) {
                given = Optional.of(args.get(i + 1));
                break;
            }
            if (a.startsWith("--workspace=")) {
                given = Optional.of(a.substring("--workspace=".length()));
                break;
            }
        }
        Path base = Path.of(cwd);
        return given.map(base::resolve)
                .or(() -> Optional.ofNullable(System.getProperty("kvmstudio.workspace")).filter(s -> !s.isBlank()).map(base::resolve))
                .or(() -> Optional.ofNullable(System.getenv("KVMSTUDIO_WORKSPACE")).filter(s -> !s.isBlank()).map(base::resolve))
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".kvmstudio"))
                .toAbsolutePath().normalize();
    }
}
