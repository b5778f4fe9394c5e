package org.kvmstudio.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The model's values: normalisation, defaults and the checks of untrusted input. */
class ModelValuesTest {

    @Test
    void numbersCompareEqualWhateverTheirJavaType() {
        assertEquals(Parameters.of(Map.of("ram-size", 1024)), Parameters.of(Map.of("ram-size", 1024L)));
        assertEquals(Parameters.of(Map.of("ram-size", 1024)), Parameters.of(Map.of("ram-size", new BigInteger("1024"))));
        assertEquals(Parameters.of(Map.of("ram-size", 1024)), Parameters.of(Map.of("ram-size", 1024.0)));
        assertEquals(Parameters.of(Map.of("ratio", 0.1)), Parameters.of(Map.of("ratio", new BigDecimal("0.10"))));
        assertEquals(new BigInteger("123456789012345678901234567890"),
                Parameters.of(Map.of("big", new BigInteger("123456789012345678901234567890"))).get("big").orElseThrow());
    }

    @Test
    void parametersAreDeepCopiesThatCannotChange() {
        List<Object> rules = new ArrayList<>(List.of(22, 80));
        Parameters p = Parameters.of(Map.of("nat-rules", rules));
        rules.add(443);
        assertEquals(List.of(22L, 80L), p.get("nat-rules").orElseThrow());
        @SuppressWarnings("unchecked")
        List<Object> inside = (List<Object>) p.get("nat-rules").orElseThrow();
        assertThrows(UnsupportedOperationException.class, () -> inside.add(1));
        assertThrows(UnsupportedOperationException.class, () -> p.asMap().put("x", 1));
        assertEquals(Parameters.of(Map.of("a", 1, "b", 3)), Parameters.of(Map.of("a", 1, "b", 2)).merge(Parameters.of(Map.of("b", 3))));
        assertEquals(Parameters.of(Map.of("a", 1)), Parameters.of(Map.of("a", 1, "b", 2)).without("b"));
    }

    @Test
    void onlyJsonValuesAreParameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Parameters.of(Map.of("disks", List.of(Map.of("when", Instant.EPOCH)))));
        assertTrue(e.getMessage().contains("/disks/0/when"), e.getMessage());
        assertThrows(InvalidRequestException.class, () -> Parameters.of(Map.of("x", Double.NaN)));
        InvalidRequestException huge = assertThrows(InvalidRequestException.class,
                () -> Parameters.of(Map.of("ram-size", new BigDecimal("1e999999999"))));
        assertTrue(huge.getMessage().contains("/ram-size"), huge.getMessage());
        assertEquals(new BigInteger("1" + "0".repeat(300)), Parameters.of(Map.of("big", 1e300)).get("big").orElseThrow());
    }

    @Test
    void requestsDefaultAsSlapOsDoes() {
        InstanceRequest r = InstanceRequest.of("kvm", "myawesomekvm");
        assertEquals("default", r.softwareType());
        assertEquals(RequestedState.STARTED, r.state());
        assertFalse(r.shared());
        assertEquals(Parameters.EMPTY, r.parameters());
        assertEquals(Filter.NONE, r.filter());
        assertEquals(RequestedState.STOPPED, RequestedState.parse(" Stopped "));
        assertEquals(RequestedState.STARTED, RequestedState.parse(null));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> RequestedState.parse("paused"));
        assertTrue(e.getMessage().contains("expected started, stopped or destroyed"));
    }

    @Test
    void referencesAreCheckedBecauseTheyBecomeNamesAndUrls() {
        for (String bad : List.of("", "   ", "a/b", "..\\x", "tab\there", " lead", "x".repeat(201))) {
            assertThrows(InvalidRequestException.class, () -> InstanceRequest.of("kvm", bad), bad);
        }
        assertEquals("vm-1 (test)", InstanceRequest.of("kvm", "vm-1 (test)").reference());
        assertThrows(InvalidRequestException.class, () -> Filter.of(Map.of("computer", "x")));
        assertThrows(InvalidRequestException.class, () -> Filter.of(Map.of(Filter.INSTANCE_GUID, " ")));
        assertThrows(InvalidRequestException.class, () -> Template.checkName("a/b"));
        assertThrows(InvalidRequestException.class, () -> Template.checkName(".hidden"));
        Template.checkName("Debian 12 VM");
    }

    @Test
    void aPartitionIsReadyOnlyWhenItsLatestRevisionIsDeployedAsRequested() {
        Instant t = Instant.EPOCH;
        Partition p = new Partition("SOFTINST-1", "vm", "kvm", "default", false, Parameters.EMPTY, RequestedState.STARTED,
                null, Status.notReady("new", t), null, null, null, null, "vm", 1, 0);
        assertFalse(p.isReady());
        Partition deployed = p.deployed(1, new Status(Status.Phase.STARTED, "", t), Parameters.of(Map.of("url", "x")));
        assertTrue(deployed.isReady());
        Partition changed = deployed.withRequest(deployed.request().withState(RequestedState.STOPPED), Status.notReady("c", t));
        assertEquals(2, changed.revision());
        assertFalse(changed.isReady());
        assertFalse(changed.deployed(2, new Status(Status.Phase.STARTED, "", t), Parameters.EMPTY).isReady(),
                "deployed, but not in the requested state");
        assertTrue(changed.deployed(2, new Status(Status.Phase.STOPPED, "", t), Parameters.EMPTY).isReady());
        assertThrows(IllegalArgumentException.class, () -> Slave.of(p));
    }
}
