package org.kvmstudio.cli.commands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.kvmstudio.cli.CliContext;
import org.kvmstudio.core.RequestEngine;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** How commands print: text for people, or JSON in the shapes of SlapOS's API. */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    static void json(CliContext c, Object value) {
        try {
            c.out().println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * {@code p} in the shape of SlapOS's {@code slapos.get.v0.software_instance}, with the status KVM
     * Studio knows. Connection parameters include secrets: the person asking owns the workspace.
     */
    static Map<String, Object> instance(RequestEngine engine, Partition p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("title", p.reference());
        o.put("software_release_uri", p.releaseUri());
        o.put("software_type", p.softwareType());
        o.put("state", p.requestedState().slapName());
        o.put("shared", p.shared());
        o.put("parameters", p.parameters().asMap());
        o.put("connection_parameters", engine.allConnectionParameters(p).asMap());
        o.put("instance_guid", p.id());
        o.put("computer_guid", p.hostId());
        o.put("filter", p.filter().values());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", p.status().phase().name().toLowerCase(Locale.ROOT));
        status.put("message", p.status().message());
        status.put("since", p.status().since().toString());
        status.put("ready", p.isReady());
        o.put("status", status);
        return o;
    }

    /** {@code name = value} lines, as {@code slapos request} prints connection parameters. */
    static void parameters(CliContext c, Parameters parameters) {
        parameters.asMap().forEach((k, v) -> c.out().println(k + " = " + text(v)));
    }

    static String text(Object v) {
        if (v instanceof String s) {
            // a PEM certificate or a list of URLs would break the layout of what is around it
            long more = s.strip().lines().count() - 1;
            return more <= 0 ? s : s.strip().lines().findFirst().orElse("") + " … (" + more + " more line"
                    + (more == 1 ? "" : "s") + "; --json shows it whole)";
        }
        try {
            return JSON.writer().writeValueAsString(v);
        } catch (JsonProcessingException e) {
            return String.valueOf(v);
        }
    }

    static void describe(CliContext c, RequestEngine engine, Partition p) {
        c.out().println(p.reference() + " (" + p.id() + ")");
        c.out().println("  release        " + p.releaseUri());
        c.out().println("  software type  " + p.softwareType() + (p.shared() ? " (shared)" : ""));
        c.out().println("  requested      " + p.requestedState().slapName());
        c.out().println("  status         " + status(p));
        if (p.hostId() != null) {
            c.out().println("  host           " + p.hostId());
        }
        if (p.masterId() != null) {
            c.out().println("  master         " + p.masterId());
        }
        if (!p.filter().values().isEmpty()) {
            c.out().println("  filter         " + p.filter().values());
        }
        c.out().println("  parameters");
        p.parameters().asMap().forEach((k, v) -> c.out().println("    " + k + " = " + text(v)));
        c.out().println("  connection parameters");
        engine.allConnectionParameters(p).asMap().forEach((k, v) -> c.out().println("    " + k + " = " + text(v)));
    }

    static String status(Partition p) {
        String phase = p.isReady() ? "ready, " + p.status().phase().name().toLowerCase(Locale.ROOT)
                : p.status().phase().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return p.status().message().isEmpty() ? phase : phase + ": " + p.status().message();
    }

    /** A table with a header, columns as wide as their widest cell. */
    static void table(CliContext c, List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] width = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (width[i] + 2) + "s", row.get(i)));
            }
            c.out().println(line.toString().stripTrailing());
        }
    }

}
