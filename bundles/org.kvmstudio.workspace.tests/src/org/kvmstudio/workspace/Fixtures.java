package org.kvmstudio.workspace;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kvmstudio.model.Filter;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Status;
import org.kvmstudio.model.Template;

/** Model values for the tests: plain ones, and ones using every kind of JSON value. */
final class Fixtures {

    static final String RELEASE = "https://lab.nexedi.com/nexedi/slapos/raw/1.0.400/software/kvm/software.cfg";

    private Fixtures() {
    }

    static Partition partition(String id) {
        return new Partition(id, "test vm", RELEASE, "default", false, Parameters.of(Map.of("ram-size", 1024)),
                RequestedState.STARTED, null, new Status(Status.Phase.STARTED, "running", Instant.parse("2025-03-01T10:00:00Z")),
                null, null, null, null, "test vm", 1, 1);
    }

    /** A partition with every field set and parameters holding every kind of JSON value. */
    static Partition richPartition(String id) {
        return new Partition(id, "frontend \"main\" é", RELEASE, "frontend", true, richParameters(),
                RequestedState.STOPPED, Filter.of(Map.of(Filter.COMPUTER_GUID, "COMP-1", Filter.RETENTION_DELAY, "3")),
                new Status(Status.Phase.NOT_READY, "waiting for \"COMP-1\"", Instant.parse("2025-03-01T10:00:00.123456789Z")),
                Parameters.of(Map.of("url", "https://[2001:db8::1]:8443/", "port", 8443)), "COMP-1", "SOFTINST-1",
                "SOFTINST-2", "root tree", 7, 5);
    }

    static Parameters richParameters() {
        Map<String, Object> disk = new LinkedHashMap<>();
        disk.put("size", 40);
        disk.put("type", "virtio");
        disk.put("cache", null);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("ram-size", 4096);
        values.put("min", Long.MIN_VALUE);
        values.put("huge", new BigInteger("123456789012345678901234567890123"));
        values.put("negative-huge", new BigInteger("-98765432109876543210987654321"));
        values.put("precise", new BigDecimal("3.1415926535897932384626433832795028841971693993751"));
        values.put("tiny-precise", new BigDecimal("1.0000000000000000000000000001E-30"));
        values.put("ratio", 0.1);
        values.put("small", -1.5e-12);
        values.put("large-double", 1e300);
        values.put("text", "say \"hi\" \\ née 漢字 😀 \u0001 tab\t newline\n </script>");
        values.put("enabled", true);
        values.put("disabled", false);
        values.put("disks", List.of(disk, List.of(1, "two", false, List.of()), Map.of()));
        values.put("nothing", null);
        return Parameters.of(values);
    }

    static Template template(String name) {
        return new Template(name, "a \"small\" VM — for tests", RELEASE, "default", false, richParameters());
    }
}
