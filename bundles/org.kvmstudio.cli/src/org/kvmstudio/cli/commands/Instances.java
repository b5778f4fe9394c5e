package org.kvmstudio.cli.commands;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.core.RequestEngine;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.UnknownInstanceException;

/** An instance the user names: the reference of a root request, or any partition's instance guid. */
final class Instances {

    private Instances() {
    }

    static Partition find(RequestEngine engine, String name) {
        return engine.instance(name).or(() -> engine.partition(name))
                .orElseThrow(() -> new UnknownInstanceException("there is no instance " + Excerpt.quoted(name)));
    }
}
