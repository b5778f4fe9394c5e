package org.kvmstudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.cli.forward.ForwardingClient;
import org.kvmstudio.cli.forward.OwnerChannel;
import org.kvmstudio.cli.forward.OwnerSocket;
import org.kvmstudio.core.Studio;
import org.kvmstudio.core.provisioning.Deployment;
import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.core.provisioning.ProvisioningContext;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Status;
import org.kvmstudio.release.kvm.KvmRelease;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The command line's parsing, typing, output and exit codes, on a real workspace and the real kvm
 * release, with a provisioner that deploys nothing (the product's end-to-end script runs the same
 * commands on libvirt and QEMU).
 */
class CliTest {

    @TempDir
    Path dir;
    Studio studio;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Publishes what a KVM would, without a hypervisor. */
    static final class Publishing implements Provisioner {
        @Override
        public String releaseUri() {
            return "kvm";
        }

        @Override
        public Set<String> softwareTypes() {
            return Set.of("default", "kvm+", "nbd");
        }

        @Override
        public Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) {
            return Deployment.reached(Status.phaseOf(context.partition().requestedState()),
                    Parameters.of(Map.of("backend-url", "ws://127.0.0.1:5700/", "password", "Secr3t!x")));
        }
    }

    /** The access a command run in this process has: this test's studio, owned for the command. */
    final StudioAccess access = new StudioAccess() {
        @Override
        public Studio studio(Path workspace) {
            return studio;
        }

        @Override
        public boolean temporaryOwner() {
            return true;
        }

        @Override
        public void becomeAgent(Path workspace, PrintStream err) {
            throw new UnsupportedOperationException();
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        studio = Studio.open(dir.resolve("ws"), Clock.systemUTC());
        studio.releases().add(new KvmRelease());
    }

    @AfterEach
    void tearDown() throws IOException {
        studio.close();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Cli.run(List.of(args), dir.toString(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), access);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRequestExitsTwoWhileNotReadyAndPrintsTheConnectionParametersOnceReady() {
        assertEquals(Cli.NOT_READY, run("request", "vm", "kvm"));
        assertTrue(err().contains("not ready yet") && err().contains("no provisioner"), err());
        studio.provisioners().add(new Publishing());
        assertEquals(Cli.OK, run("request", "vm", "kvm"), err());
        assertTrue(out().contains("backend-url = ws://127.0.0.1:5700/"), out());
        assertTrue(out().contains("password = Secr3t!x"), "the requester is shown its password: " + out());
    }

    @Test
    void onlyTheCommandNamedIsBuiltAndHelpAndSuggestionsStillKnowThemAll() {
        assertEquals(Set.of("request"), subcommands("--workspace", "ws", "--json", "request", "vm", "kvm"),
                "--workspace's folder is not the command");
        assertEquals(Set.of("request"), subcommands("--workspace=ws", "--json=true", "request", "vm", "kvm"));
        assertEquals(Set.of("hosts"), subcommands("hosts", "add", "qemu:///system"));
        // all of them as soon as anything else comes first, for picocli to answer as it always did
        for (List<String> args : List.of(List.of("--", "list"), List.of("--help", "request"), List.of("-h", "list"),
                List.of("--jsn", "list"), List.of("--workspace", "--json", "list"), List.of("--workspace", "hosts", "list"),
                List.of("--workspace=list", "request", "vm", "kvm"), List.of("@args", "list"))) {
            assertEquals(8, subcommands(args.toArray(String[]::new)).size(), args.toString());
        }
        assertEquals(Cli.FAILED, run("--workspace", "hosts", "list"));
        assertTrue(err().contains("Expected parameter for option '--workspace' but found 'hosts'"),
                "a folder named as a command is refused, as before: " + err());

        assertEquals(Cli.OK, run("--help"));
        for (String command : List.of("request", "info", "list", "remove", "hosts", "template", "orphans", "agent")) {
            assertTrue(out().contains("  " + command + " "), command + " is listed: " + out());
        }
        assertEquals(Cli.FAILED, run("lsit"));
        assertTrue(err().contains("list"), "a misspelt command is matched against all of them: " + err());
        assertEquals(Cli.OK, run("list", "--workspace", dir.resolve("ws").toString(), "--json"), err());
        assertTrue(out().strip().startsWith("[") && out().strip().endsWith("]"), "options of the top level still reach "
                + "the command: " + out());
    }

    private static Set<String> subcommands(String... args) {
        return org.kvmstudio.cli.commands.KvmStudioCommand.commandLine(null, List.of(args)).getSubcommands().keySet();
    }

    @Test
    void keyValueParametersAreTypedByTheSchemaAndAliasesAreHonoured() {
        assertEquals(Cli.NOT_READY, run("request", "myawesomekvm", "kvm", "--parameters", "ram-size=2048",
                "ndb_ip=2a01:e35:2e27:460:e2cb:4eff:fed9:48dc", "ndb_port=1024", "nat-rules=[22,80]"), err());
        Partition p = studio.engine().instance("myawesomekvm").orElseThrow();
        assertEquals(Map.of("ram-size", 2048L, "nbd-host", "2a01:e35:2e27:460:e2cb:4eff:fed9:48dc", "nbd-port", 1024L,
                "nat-rules", List.of(22L, 80L)), p.parameters().asMap());
    }

    @Test
    void invalidParametersExitOneWithTheSchemasMessageAndCreateNothing() {
        assertEquals(Cli.FAILED, run("request", "vm", "kvm", "--parameters", "ram-size=1000", "colour=blue"));
        assertTrue(err().contains("/ram-size") && err().contains("/colour"), err());
        assertTrue(studio.engine().partitions().isEmpty());
        assertEquals(Cli.FAILED, run("request", "vm", "kvm", "--state", "paused"));
        assertTrue(err().contains("expected started, stopped or destroyed"), err());
        assertEquals(Cli.FAILED, run("info", "nothing"));
        assertTrue(err().contains("there is no instance \"nothing\""), err());
        assertEquals(Cli.FAILED, run("request", "vm", "no-such-release"));
        assertTrue(err().contains("unknown software release"), err());
        assertEquals(Cli.FAILED, run("request"));
        assertTrue(err().contains("Missing required parameters"), err());
    }

    @Test
    void infoAndListPrintSlapOsShapedJson() throws Exception {
        studio.provisioners().add(new Publishing());
        assertEquals(Cli.OK, run("request", "vm", "kvm", "--type", "kvm+"), err());
        assertEquals(Cli.OK, run("info", "vm", "--json"), err());
        JsonNode info = new ObjectMapper().readTree(out());
        for (String field : List.of("title", "software_release_uri", "software_type", "state", "shared", "parameters",
                "connection_parameters", "instance_guid", "computer_guid", "status")) {
            assertTrue(info.has(field), field + " in " + info);
        }
        assertEquals("vm", info.get("title").asText());
        assertEquals("kvm+", info.get("software_type").asText());
        assertEquals("started", info.get("status").get("phase").asText());
        assertEquals(Cli.OK, run("--json", "list"), err());
        assertEquals(1, new ObjectMapper().readTree(out()).size());
        assertEquals(Cli.OK, run("list"), err());
        assertTrue(out().lines().findFirst().orElseThrow().startsWith("REFERENCE"), out());
    }

    @Test
    void aDryRunSaysWhatWouldHappenAndChangesNothing() {
        assertEquals(Cli.OK, run("request", "vm", "kvm", "--parameters", "ram-size=2048", "--dry-run"), err());
        assertTrue(out().contains("would request a new instance 'vm'"), out());
        assertTrue(out().contains("ram-size = 2048") && out().contains("disk-size = 10"), out());
        assertTrue(studio.engine().partitions().isEmpty());
        run("request", "vm", "kvm", "--parameters", "ram-size=2048");
        assertEquals(Cli.OK, run("request", "vm", "kvm", "--parameters", "ram-size=4096", "--dry-run"), err());
        assertTrue(out().contains("would change instance 'vm'") && out().contains("ram-size: 2048 -> 4096"), out());
        assertEquals(2048L, studio.engine().instance("vm").orElseThrow().parameters().get("ram-size").orElseThrow());
    }

    @Test
    void removeDestroysAndAParameterFileMayBeJsonOrYaml() throws Exception {
        studio.provisioners().add(new Publishing());
        Files.writeString(dir.resolve("p.yaml"), "ram-size: 1536\nnat-rules: [22]\n");
        assertEquals(Cli.OK, run("request", "vm", "kvm", "--parameters-file", "p.yaml"), err());
        assertEquals(1536L, studio.engine().instance("vm").orElseThrow().parameters().get("ram-size").orElseThrow());
        Files.writeString(dir.resolve("p.json"), "{\"ram-size\": 3072}");
        assertEquals(Cli.OK, run("request", "vm", "kvm", "--parameters-file", "p.json"), err());
        assertEquals(3072L, studio.engine().instance("vm").orElseThrow().parameters().get("ram-size").orElseThrow());
        Files.writeString(dir.resolve("bad.json"), "[1, 2]");
        assertEquals(Cli.FAILED, run("request", "vm", "kvm", "--parameters-file", "bad.json"));
        assertTrue(err().contains("must be an object"), err());
        assertEquals(Cli.OK, run("remove", "vm"), err());
        assertTrue(studio.engine().instance("vm").isEmpty());
    }

    @Test
    void aSecretFromAParameterFileIsShownMaskedAndAPemValueOnOneLine() throws Exception {
        String key = "-----BEGIN PRIVATE KEY-----\n    MIGHAgEAMBMG-cli-5521\n    -----END PRIVATE KEY-----";
        Files.writeString(dir.resolve("front.yaml"), "domain: mydomain.com\nssl_crt: |\n    -----BEGIN CERTIFICATE-----\n"
                + "    MIIBcert\n    -----END CERTIFICATE-----\nssl_key: |\n    " + key + "\n");
        assertEquals(Cli.NOT_READY, run("request", "front", "kvm", "--type", "frontend", "--parameters-file", "front.yaml"), err());
        assertEquals(Cli.OK, run("info", "front"), err());
        assertTrue(out().contains("ssl_key = ********"), out());
        assertTrue(out().contains("ssl_crt = -----BEGIN CERTIFICATE----- … (2 more lines; --json shows it whole)"), out());
        assertFalse(out().contains("cli-5521"), out());
        assertEquals(Cli.OK, run("info", "front", "--json"), err());
        assertFalse(out().contains("cli-5521"), out());
        assertEquals(Cli.OK, run("request", "front", "kvm", "--type", "frontend", "--parameters", "domain=mydomain.com", "--dry-run"), err());
        assertTrue(out().contains("ssl_key: ******** -> (none)"), out());
        assertFalse(out().contains("cli-5521"), out());
    }

    @Test
    void aReleaseIsTakenFromItsDescriptorFileAndItsRequestsAreRecorded() throws Exception {
        Path release = dir.resolve("other-release");
        Files.createDirectories(release);
        Files.writeString(release.resolve("software.cfg.json"), "{\"name\": \"Other\", \"serialisation\": \"json-in-xml\","
                + " \"software-type\": {\"default\": {\"title\": \"Thing\", \"request\": \"in.json\"}}}");
        Files.writeString(release.resolve("in.json"), "{\"type\": \"object\", \"properties\": {\"size\": {\"type\": \"integer\"}}}");
        assertEquals(Cli.NOT_READY, run("request", "thing", "other-release/software.cfg.json", "--parameters", "size=3"));
        Partition p = studio.engine().instance("thing").orElseThrow();
        assertEquals(release.resolve("software.cfg.json").toUri().toString(), p.releaseUri());
        assertEquals(3L, p.parameters().get("size").orElseThrow());
        assertEquals(RequestedState.STARTED, p.requestedState());
    }

    @Test
    void aTemplateIsSavedTypedAppliedExportedAndImported() throws Exception {
        studio.provisioners().add(new Publishing());
        assertEquals(Cli.OK, run("template", "save", "big vm", "kvm", "--type", "kvm+", "--description", "4 GB",
                "--parameters", "ram-size=4096", "ndb_port=1024"), err());
        assertEquals(Map.of("ram-size", 4096L, "nbd-port", 1024L),
                studio.templates().template("big vm").orElseThrow().parameters().asMap(), "typed, under canonical names");
        assertEquals(Cli.OK, run("template", "list"), err());
        assertTrue(out().contains("big vm") && out().contains("kvm+"), out());
        assertEquals(Cli.OK, run("template", "apply", "big vm", "from-template", "--parameters", "cpu-count=4"), err());
        Partition p = studio.engine().instance("from-template").orElseThrow();
        assertEquals("kvm+", p.softwareType());
        assertEquals(Map.of("ram-size", 4096L, "nbd-port", 1024L, "cpu-count", 4L), p.parameters().asMap());
        assertEquals(Cli.OK, run("template", "export", "big vm", "big.json"), err());
        assertEquals(Cli.OK, run("template", "remove", "big vm"), err());
        assertEquals(Cli.OK, run("template", "import", "big.json"), err());
        assertEquals(Cli.FAILED, run("template", "import", "big.json"));
        assertTrue(err().contains("exists"), err());
        assertEquals(Cli.FAILED, run("template", "save", "bad", "kvm", "--parameters", "ram-size=100"));
        assertTrue(err().contains("/ram-size"), err());
    }

    @Test
    void aCommandGivenToTheOwnersSocketRunsInTheOwner() throws Exception {
        studio.provisioners().add(new Publishing());
        try (OwnerChannel channel = CommandServer.serve(studio, true)) {
            Path socket = OwnerSocket.of(studio.workspaceDirectory());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
            PrintStream stdout = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            int code;
            try {
                code = ForwardingClient.forward(socket, dir.toString(), List.of("request", "fwd", "kvm", "--parameters",
                        "ram-size=1536"));
            } finally {
                System.setOut(stdout);
            }
            assertEquals(Cli.OK, code);
            assertTrue(captured.toString(StandardCharsets.UTF_8).contains("backend-url = ws://127.0.0.1:5700/"),
                    captured.toString(StandardCharsets.UTF_8));
            assertEquals(1536L, studio.engine().instance("fwd").orElseThrow().parameters().get("ram-size").orElseThrow());
        }
        assertEquals(ForwardingClient.NO_OWNER, ForwardingClient.forward(OwnerSocket.of(studio.workspaceDirectory()),
                dir.toString(), List.of("list")), "no owner listens once the channel is closed");
    }

    @Test
    void aReleaseWhoseSchemasSitInASiblingReleaseFolderOpensAndNothingAboveItIsRead() throws IOException {
        // as in SlapOS's repository: software/a/software.cfg.json names ../b/instance-input-schema.json
        Path software = Files.createDirectories(dir.resolve("repo").resolve("software"));
        Files.createDirectories(software.resolve("a"));
        Files.createDirectories(software.resolve("b"));
        Files.writeString(software.resolve("b").resolve("instance-input-schema.json"),
                "{\"type\": \"object\", \"properties\": {\"size\": {\"type\": \"integer\"}}}");
        Files.writeString(software.resolve("a").resolve("software.cfg.json"), """
                {"name": "a", "serialisation": "json-in-xml", "software-type": {
                  "default": {"title": "A", "request": "../b/instance-input-schema.json"},
                  "above": {"title": "B", "request": "../../outside.json"}}}""");
        String release = software.resolve("a").resolve("software.cfg.json").toString();
        assertEquals(Cli.FAILED, run("request", "vm", release, "--parameters", "size=big", "--dry-run"));
        assertTrue(err().contains("/size") && err().contains("must be an integer"), "validated against b's schema: " + err());
        assertEquals(Cli.FAILED, run("request", "other", release, "--type", "above", "--dry-run"));
        assertTrue(err().contains("the schema of software type \"above\", ../../outside.json leaves the release's folder"), err());
    }
}
