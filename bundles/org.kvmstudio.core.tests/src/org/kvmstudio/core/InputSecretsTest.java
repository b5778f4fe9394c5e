package org.kvmstudio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.model.InstanceEvent;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.InvalidParametersException;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.Template;

/**
 * A secret the user requests (a frontend's private key) is kept in the partition's private state:
 * never in its file, its events, a plan, a template or a status message, and never lost by a
 * re-request that sends back the mask the partition shows.
 */
class InputSecretsTest {

    private static final String CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIBcertificate\n-----END CERTIFICATE-----\n";
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49-private-7731\n-----END PRIVATE KEY-----\n";
    private static final String OTHER_KEY = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI-other-4412\n-----END EC PRIVATE KEY-----\n";

    @TempDir
    Path dir;
    EngineFixture fx;
    ScriptedProvisioner provisioner = new ScriptedProvisioner();
    List<InstanceEvent> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fx = new EngineFixture(dir);
        fx.install(provisioner);
        fx.engine.addListener(events::add);
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    private static InstanceRequest frontend(String key) {
        Map<String, Object> p = new LinkedHashMap<>(Map.of("domain", "mydomain.com"));
        if (key != null) {
            p.put("ssl_crt", CERTIFICATE);
            p.put("ssl_key", key);
        }
        return InstanceRequest.of("kvm", "myfrontend").withSoftwareType("frontend").withParameters(Parameters.of(p));
    }

    private Partition partition() {
        return fx.engine.instance("myfrontend").orElseThrow();
    }

    private String file(Partition p) throws Exception {
        return Files.readString(dir.resolve("partitions").resolve(p.id() + ".json"), StandardCharsets.UTF_8);
    }

    private String state(Partition p) throws Exception {
        return Files.readString(dir.resolve("state").resolve(p.id()).resolve("state.json"), StandardCharsets.UTF_8);
    }

    @Test
    void aRequestedSecretIsKeptPrivatelyAndMaskedEverywhereElse() throws Exception {
        Partition returned = fx.engine.request(frontend(KEY));
        assertEquals(Secrets.MASK, returned.parameters().get("ssl_key").orElseThrow(), "what request returns is what the file holds");
        Partition p = partition();
        assertEquals(Secrets.MASK, p.parameters().get("ssl_key").orElseThrow(), "the partition shows that one is set");
        assertEquals(CERTIFICATE, p.parameters().get("ssl_crt").orElseThrow(), "a certificate is public");
        assertFalse(file(p).contains("private-7731"), file(p));
        assertTrue(state(p).contains("private-7731"), "kept in the private state");
        assertTrue(events.stream().noneMatch(e -> e.partition().toString().contains("private-7731")), "never in events");
        assertEquals(KEY, fx.engine.allParameters(p).get("ssl_key").orElseThrow());

        fx.engine.process(new NullProgressMonitor());
        assertEquals(KEY, provisioner.calls.get(provisioner.calls.size() - 1).parameters().get("ssl_key").orElseThrow(),
                "the provisioner deploys with the value itself");
        assertTrue(partition().isReady());

        fx.restart();
        assertEquals(KEY, fx.engine.allParameters(partition()).get("ssl_key").orElseThrow(), "kept across a restart");
    }

    @Test
    void sendingTheMaskBackKeepsTheSecretAndChangesNothing() throws Exception {
        fx.engine.request(frontend(KEY));
        fx.engine.process(new NullProgressMonitor());
        Partition before = partition();

        // what the instance editor or a re-request of what info printed sends
        Plan plan = fx.engine.plan(before.request());
        assertEquals(Plan.Kind.UNCHANGED, plan.kind());
        Partition after = fx.engine.request(before.request());
        assertEquals(before.revision(), after.revision(), "no new revision");
        assertEquals(KEY, fx.engine.allParameters(after).get("ssl_key").orElseThrow());

        // the same key given in full is no change either
        assertEquals(before.revision(), fx.engine.request(frontend(KEY)).revision());
    }

    @Test
    void aChangedSecretIsANewRevisionAndThePlanSaysSoWithoutTheValues() throws Exception {
        fx.engine.request(frontend(KEY));
        fx.engine.process(new NullProgressMonitor());
        long revision = partition().revision();

        Plan plan = fx.engine.plan(frontend(OTHER_KEY));
        assertEquals(Plan.Kind.CHANGED, plan.kind());
        assertEquals(new Plan.Change(Secrets.MASK, Secrets.MASK), plan.changes().get("ssl_key"));
        assertEquals(Secrets.MASK, plan.request().parameters().get("ssl_key").orElseThrow());
        assertEquals(Secrets.MASK, plan.effectiveParameters().get("ssl_key").orElseThrow());
        assertFalse(plan.toString().contains("other-4412") || plan.toString().contains("private-7731"), plan.toString());

        fx.engine.request(frontend(OTHER_KEY));
        assertEquals(revision + 1, partition().revision());
        assertTrue(state(partition()).contains("private-7731"), "kept while a deployment of the revision before may read it");
        fx.engine.process(new NullProgressMonitor());
        assertEquals(OTHER_KEY, provisioner.calls.get(provisioner.calls.size() - 1).parameters().get("ssl_key").orElseThrow());
        assertFalse(state(partition()).contains("private-7731"), "the old key is not kept once the new one is deployed");

        // given up: forgotten from the private state too
        Plan dropping = fx.engine.plan(frontend(null));
        assertEquals(new Plan.Change(Secrets.MASK, null), dropping.changes().get("ssl_key"));
        fx.engine.request(frontend(null));
        fx.engine.process(new NullProgressMonitor());
        assertFalse(Files.exists(dir.resolve("state").resolve(partition().id()).resolve("state.json"))
                && state(partition()).contains("other-4412"), "forgotten once deployed without it");
        assertTrue(fx.engine.allParameters(partition()).get("ssl_key").isEmpty());
    }

    @Test
    void aMaskStandsForNothingInANewRequest() throws Exception {
        InvalidParametersException e = assertThrows(InvalidParametersException.class,
                () -> fx.engine.request(frontend(Secrets.MASK)));
        assertEquals("/ssl_key", e.problems().get(0).pointer());
        assertTrue(e.getMessage().contains("give the value itself"), e.getMessage());
        assertTrue(fx.engine.instance("myfrontend").isEmpty(), "nothing is created");
        assertThrows(InvalidParametersException.class, () -> fx.engine.plan(frontend(Secrets.MASK)));
    }

    @Test
    void aStatusMessageNeverRepeatsARequestedSecret() throws Exception {
        provisioner.failNext = new ProvisioningException("cannot read the key " + KEY + " at all");
        fx.engine.request(frontend(KEY));
        fx.engine.process(new NullProgressMonitor());
        String message = partition().status().message();
        assertFalse(message.contains("private-7731"), message);
        assertTrue(message.contains("cannot read the key ******** at all"), message);
    }

    @Test
    void aTemplateLeavesSecretsOutAndSaysWhich() throws Exception {
        Template t = new Template("with-key", "", "kvm", "frontend", false, frontend(KEY).parameters());
        assertEquals(java.util.Set.of("ssl_key"), fx.studio.templates().secretsOf(t));
        Template saved = fx.studio.templates().save(t);
        assertFalse(saved.parameters().contains("ssl_key"));
        assertEquals(CERTIFICATE, saved.parameters().get("ssl_crt").orElseThrow());
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().contains("template")).toList()) {
                assertFalse(Files.readString(f).contains("private-7731"), f.toString());
            }
        }
        // exported and imported again (a template without the key its certificate needs is no problem)
        Path exported = dir.resolve("with-key.json");
        fx.studio.templates().export("with-key", exported);
        assertFalse(Files.readString(exported).contains("private-7731"));
        assertEquals(saved, fx.studio.templates().importFrom(exported, true));
        // applied with the key given again, it makes the instance
        Partition p = fx.studio.templates().apply("with-key", "fromtemplate", Parameters.of(Map.of("ssl_key", KEY)));
        assertEquals(KEY, fx.engine.allParameters(p).get("ssl_key").orElseThrow());
    }

    @Test
    void aCertificateThatHoldsItsKeyIsRefusedBeforeTheKeyIsStoredInClear() throws Exception {
        InstanceRequest both = frontend(KEY).withParameters(frontend(KEY).parameters().with("ssl_crt", CERTIFICATE + KEY));
        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> fx.engine.request(both));
        assertEquals("/ssl_crt", e.problems().get(0).pointer(), e.getMessage());
        assertFalse(e.getMessage().contains("private-7731"), e.getMessage());
        assertTrue(fx.engine.instance("myfrontend").isEmpty());
    }

    @Test
    void aValueThatLooksLikeTheMaskIsAnOrdinaryValueWhereNoSecretIs() throws Exception {
        Partition p = fx.engine.request(Requests.kvm("vm", Map.of("frontend-software-type", Secrets.MASK)));
        assertEquals(Secrets.MASK, fx.engine.allParameters(p).get("frontend-software-type").orElseThrow(),
                "not a secret: taken as given, not as a kept value");
    }

    /** A store whose partition files cannot be written while {@code failing} is set (a full disk), its private state can. */
    private static final class FailingStore extends WorkspaceStore {
        boolean failing;

        FailingStore(org.kvmstudio.workspace.Workspace workspace) {
            super(workspace);
        }

        @Override
        public void save(Partition partition) throws java.io.IOException {
            if (failing) {
                throw new java.io.IOException("no space left on device");
            }
            super.save(partition);
        }
    }

    @Test
    void aRequestWhoseFileCannotBeWrittenChangesNeitherTheKeyDeployedNorLeavesOneBehind() throws Exception {
        fx.close();
        ReleaseCatalog catalog = new ReleaseCatalog();
        catalog.add(new org.kvmstudio.release.kvm.KvmRelease());
        ProvisionerRegistry registry = new ProvisionerRegistry();
        registry.add(provisioner);
        try (org.kvmstudio.workspace.Workspace w = org.kvmstudio.workspace.Workspace.open(dir)) {
            FailingStore store = new FailingStore(w);
            RequestEngine engine = new RequestEngine(store, catalog, registry, fx.clock);
            engine.request(frontend(KEY));
            engine.process(new NullProgressMonitor());
            Partition deployed = engine.instance("myfrontend").orElseThrow();

            store.failing = true;
            assertThrows(java.io.IOException.class, () -> engine.request(frontend(OTHER_KEY)));
            store.failing = false;
            Partition still = engine.instance("myfrontend").orElseThrow();
            assertEquals(deployed.revision(), still.revision(), "the file holds the revision before");
            assertEquals(KEY, engine.allParameters(still).get("ssl_key").orElseThrow(),
                    "the key that goes with the certificate the file holds, not the one never filed");
            // a new revision that sends the mask back (what Stop does) keeps the filed key, not the unfiled one
            engine.request(still.request().withState(org.kvmstudio.model.RequestedState.STOPPED));
            engine.process(new NullProgressMonitor());
            assertEquals(KEY, provisioner.calls.get(provisioner.calls.size() - 1).parameters().get("ssl_key").orElseThrow());
            assertFalse(state(engine.instance("myfrontend").orElseThrow()).contains("other-4412"), "the unfiled key is dropped");

            store.failing = true;
            assertThrows(java.io.IOException.class, () -> engine.request(InstanceRequest.of("kvm", "another").withSoftwareType("frontend")
                    .withParameters(frontend(KEY).parameters())));
            store.failing = false;
            assertTrue(engine.instance("another").isEmpty());
            try (var files = Files.walk(dir.resolve("state"))) {
                assertEquals(1, files.filter(f -> f.getFileName().toString().equals("state.json")).count(),
                        "no private state, and no key, is left for a partition that was never filed");
            }
        }
    }

    @Test
    void secretsKeptByNameAloneAreReadAsThoseOfTheRevisionOnFile() throws Exception {
        Partition p = fx.engine.request(frontend(KEY));
        // as the first version of the private state held them: by name, no revision
        String legacy = "{\"format\": 1, \"state\": {\"parameter-secrets\": {\"ssl_key\": \""
                + OTHER_KEY.replace("\n", "\\n") + "\"}}}";
        Files.writeString(dir.resolve("state").resolve(p.id()).resolve("state.json"), legacy);
        fx.restart();
        assertEquals(OTHER_KEY, fx.engine.allParameters(partition()).get("ssl_key").orElseThrow());
        fx.engine.process(new NullProgressMonitor());
        assertEquals(OTHER_KEY, provisioner.calls.get(provisioner.calls.size() - 1).parameters().get("ssl_key").orElseThrow(),
                "not lost at the next write of the partition");
        assertEquals(OTHER_KEY, fx.engine.allParameters(partition()).get("ssl_key").orElseThrow());
    }
}
