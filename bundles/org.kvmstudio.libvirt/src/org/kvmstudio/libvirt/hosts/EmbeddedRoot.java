package org.kvmstudio.libvirt.hosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.kvmstudio.workspace.AtomicFiles;

/**
 * The root of the QEMU driver embedded in the workspace's owner ({@code qemu:///embed?root=...}):
 * {@code <workspace>/libvirt}, with the {@code qemu.conf} KVM Studio writes itself. libvirt takes one
 * embed root per process, and keeps domains, logs and QEMU's sockets under it; QEMU processes outlive
 * the owner and the next one reconnects to them.
 */
public final class EmbeddedRoot {

    /** VNC displays and their websockets: ranges of their own, away from a system libvirtd's defaults. */
    static final int DISPLAY_PORT_MIN = 25900;
    static final int DISPLAY_PORT_MAX = 26899;
    static final int WEBSOCKET_PORT_MIN = 26900;
    static final int WEBSOCKET_PORT_MAX = 27899;

    private EmbeddedRoot() {
    }

    public static Path of(Path workspace) {
        return workspace.resolve("libvirt");
    }

    /** The URI of the embedded driver at {@code root}, the path escaped so that no character of it is read as URI syntax. */
    public static String uri(Path root) {
        StringBuilder escaped = new StringBuilder();
        for (byte b : root.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '-'
                    || c == '_' || c == '.') {
                escaped.append((char) c);
            } else {
                escaped.append('%').append(String.format("%02X", c));
            }
        }
        return "qemu:///embed?root=" + escaped;
    }

    /**
     * Writes the driver's {@code qemu.conf}. As root, Debian's driver would run QEMU as
     * {@code libvirt-qemu}, who cannot read the workspace: QEMU runs as the owner's user instead. QEMU's
     * output goes to files (no virtlogd in an embedded driver). Consoles listen on loopback only.
     */
    public static void prepare(Path root) throws IOException {
        // ROOT/etc/qemu.conf: under ROOT/etc/qemu/ the embedded driver does not look (it then wants virtlogd)
        Path conf = root.resolve("etc").resolve("qemu.conf");
        Files.createDirectories(conf.getParent());
        StringBuilder text = new StringBuilder("# Written by KVM Studio at every start; edits are lost.\n");
        if ("root".equals(System.getProperty("user.name"))) {
            // QEMU runs as the owner's own user: there is no ownership to hand over and give back
            text.append("user = \"root\"\ngroup = \"root\"\nremember_owner = 0\n");
        }
        text.append("stdio_handler = \"file\"\n")
                .append("vnc_listen = \"127.0.0.1\"\n")
                .append("remote_display_port_min = ").append(DISPLAY_PORT_MIN).append('\n')
                .append("remote_display_port_max = ").append(DISPLAY_PORT_MAX).append('\n')
                .append("remote_websocket_port_min = ").append(WEBSOCKET_PORT_MIN).append('\n')
                .append("remote_websocket_port_max = ").append(WEBSOCKET_PORT_MAX).append('\n');
        byte[] wanted = text.toString().getBytes(StandardCharsets.UTF_8);
        if (!Files.exists(conf) || !java.util.Arrays.equals(Files.readAllBytes(conf), wanted)) {
            AtomicFiles.write(conf, wanted);
        }
    }
}
