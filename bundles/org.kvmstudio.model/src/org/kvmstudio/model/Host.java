package org.kvmstudio.model;

import java.util.Objects;

/**
 * A hypervisor host partitions are placed on: SlapOS's computer, reached through a libvirt URI
 * ({@code qemu:///embed?root=...}, {@code qemu+ssh://...}).
 *
 * @param id the computer guid used by {@link Filter#COMPUTER_GUID}
 */
public record Host(String id, String title, String uri) {

    public Host {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(uri, "uri");
        title = title == null || title.isBlank() ? id : title;
    }
}
