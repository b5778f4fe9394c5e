package org.kvmstudio.libvirt.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class DomainXmlTest {

    private static final Path VALIDATOR = Path.of("/usr/bin/virt-xml-validate");

    private static final String PASSWORD = "pW9-xQ7z";

    /** Everything XML and shells treat specially, line breaks, bidi, an emoji, and what looks like markup. */
    private static final String HOSTILE = "<domain>&amp; ]]> \"double\" 'single' <!-- c --> <![CDATA[x]]> &x; %p;\n"
            + "\ttab\r\nשלום \u202Eevil\u202C 😀 $(rm -rf /) `id`";

    /** The same, without control characters, as a path may hold. */
    private static final String HOSTILE_PATH = "/srv/k v m/<a>&'\"]]>/שלום \u202Eevil\u202C/😀 $(id) %p;.qcow2";

    @TempDir
    Path dir;

    // ---- writing: exact form, determinism, libvirt's schema --------------------------------------------------

    @Test
    void writesTheExpectedXml() {
        assertEquals("""
                <domain xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0" type="qemu">
                  <name>kvmstudio-SOFTINST-7</name>
                  <uuid>0b6f5ad2-3c1e-4f53-9a57-6c1d2e3f4a57</uuid>
                  <title>Instance 7</title>
                  <description>A test instance</description>
                  <metadata>
                    <kvmstudio:instance xmlns:kvmstudio="https://kvmstudio.org/xmlns/libvirt/instance/1">
                      <kvmstudio:workspace>ws-1</kvmstudio:workspace>
                      <kvmstudio:release>https://lab.example/kvm/software.cfg</kvmstudio:release>
                      <kvmstudio:software-type>default</kvmstudio:software-type>
                      <kvmstudio:reference>my vm</kvmstudio:reference>
                      <kvmstudio:instance-guid>SOFTINST-7</kvmstudio:instance-guid>
                    </kvmstudio:instance>
                  </metadata>
                  <memory unit="MiB">256</memory>
                  <vcpu>1</vcpu>
                  <os>
                    <type arch="x86_64" machine="pc">hvm</type>
                  </os>
                  <features>
                    <acpi/>
                  </features>
                  <on_poweroff>destroy</on_poweroff>
                  <on_reboot>restart</on_reboot>
                  <on_crash>destroy</on_crash>
                  <devices>
                    <disk device="disk" type="file">
                      <driver name="qemu" type="qcow2"/>
                      <source file="/var/lib/kvmstudio/SOFTINST-7/disk.qcow2"/>
                      <target bus="virtio" dev="vda"/>
                      <boot order="1"/>
                    </disk>
                    <disk device="cdrom" type="network">
                      <driver name="qemu" type="raw"/>
                      <source name="boot-image" protocol="nbd">
                        <host name="::1" port="10809"/>
                      </source>
                      <target bus="ide" dev="hdc"/>
                      <readonly/>
                    </disk>
                    <serial type="file">
                      <source path="/var/lib/kvmstudio/SOFTINST-7/serial.log"/>
                    </serial>
                    <console type="file">
                      <source path="/var/lib/kvmstudio/SOFTINST-7/serial.log"/>
                      <target port="0" type="serial"/>
                    </console>
                    <graphics autoport="yes" keymap="en-us" listen="127.0.0.1" passwd="pW9-xQ7z" port="-1" type="vnc" websocket="-1">
                      <listen address="127.0.0.1" type="address"/>
                    </graphics>
                    <video>
                      <model type="vga"/>
                    </video>
                  </devices>
                  <qemu:commandline>
                    <qemu:arg value="-netdev"/>
                    <qemu:arg value="user,id=kvmstudio-net0,hostfwd=tcp:127.77.0.2:10022-:22,hostfwd=tcp:127.77.0.2:10080-:80"/>
                    <qemu:arg value="-device"/>
                    <qemu:arg value="{&quot;driver&quot;:&quot;virtio-net-pci&quot;,&quot;netdev&quot;:&quot;kvmstudio-net0&quot;,&quot;id&quot;:&quot;kvmstudio-nic0&quot;,&quot;addr&quot;:&quot;0x1e&quot;}"/>
                  </qemu:commandline>
                </domain>
                """, DomainXmlWriter.write(spec(s -> { })));
    }

    @Test
    void kvmDomainsPassTheHostCpuThrough() {
        String xml = DomainXmlWriter.write(spec(s -> s.virtType = VirtType.KVM));

        assertTrue(xml.startsWith("<domain xmlns:qemu=\"http://libvirt.org/schemas/domain/qemu/1.0\" type=\"kvm\">"), xml);
        assertTrue(xml.contains("\n  <cpu check=\"none\" mode=\"host-passthrough\"/>\n"), xml);
    }

    @Test
    void sameSpecGivesTheSameXml() {
        DomainSpec one = spec(s -> { });
        DomainSpec other = spec(s -> { });

        assertEquals(one, other);
        assertEquals(DomainXmlWriter.write(one), DomainXmlWriter.write(other));
        assertEquals(DomainXmlWriter.write(one), DomainXmlWriter.write(one));
        assertNotEquals(DomainXmlWriter.write(one), DomainXmlWriter.write(spec(s -> s.memoryMiB = 512)));
    }

    @TestFactory
    Stream<DynamicTest> libvirtsSchemaAcceptsEveryWrittenXml() {
        return catalogue().entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            assertLibvirtAccepts(entry.getKey(), DomainXmlWriter.write(entry.getValue()));
            assertLibvirtAccepts(entry.getKey() + "-without-secrets", DomainXmlWriter.writeWithoutSecrets(entry.getValue()));
        }));
    }

    // ---- reading back what was written -------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everySpecRoundTripsThroughWriterAndReader() {
        return catalogue().entrySet().stream()
                .map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> assertRoundTrip(entry.getValue())));
    }

    @Test
    void hostileTextComesBackUnchanged() throws DomainXmlException {
        InstanceMetadata hostile = new InstanceMetadata(HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE);
        DomainSpec spec = spec(s -> {
            s.metadata = hostile;
            s.description = HOSTILE;
            s.disks = List.of(disk(new NbdSource("nbd.example.org", 10809, HOSTILE), DiskBus.SCSI),
                    disk(new FileSource(HOSTILE_PATH), DiskBus.VIRTIO));
        });

        LiveDomain live = DomainXmlReader.read(DomainXmlWriter.write(spec));

        String expected = HOSTILE.replace("\r\n", "\n");
        assertEquals(new InstanceMetadata(expected, expected, expected, expected, expected), live.metadata().orElseThrow());
        assertEquals(Optional.of(expected), live.description());
        assertEquals(Optional.of(new NbdSource("nbd.example.org", 10809, HOSTILE)), live.disks().get(0).source());
        assertEquals(Optional.of(new FileSource(HOSTILE_PATH)), live.disks().get(1).source());
    }

    @Test
    void referencesThatLookLikePathsAreJustText() throws DomainXmlException {
        for (String reference : List.of("../x", "/", "../../etc/passwd", "a/../../b", ".", "")) {
            DomainSpec spec = spec(s -> s.metadata = new InstanceMetadata("ws-1", "r", "default", reference, "SOFTINST-7"));

            assertEquals(reference, DomainXmlReader.metadata(DomainXmlWriter.write(spec)).orElseThrow().reference());
        }
    }

    @Test
    void textXmlCannotCarryIsReplacedNotDropped() {
        InstanceMetadata metadata = new InstanceMetadata("a\u0000b", "c\uD800d", "e\uFFFEf", "g\u0007h", "i");

        assertEquals(new InstanceMetadata("a\uFFFDb", "c\uFFFDd", "e\uFFFDf", "g\uFFFDh", "i"), metadata);
        assertEquals("x\uFFFDy\nz\n", spec(s -> s.description = "x\u0001y\r\nz\r").description());
    }

    @Test
    void titleWithLineBreaksIsWrittenOnOneLine() throws DomainXmlException {
        DomainSpec spec = spec(s -> s.title = "first\nsecond\r\n\tthird\u2028fourth\u0085fifth");

        String xml = DomainXmlWriter.write(spec);

        assertEquals("first second   third fourth fifth", spec.title());
        assertTrue(xml.contains("\n  <title>first second   third fourth fifth</title>\n"), xml);
        assertEquals(Optional.of(spec.title()), DomainXmlReader.read(xml).title());
    }

    @Test
    void emptyTitleIsNoTitle() {
        assertEquals(null, spec(s -> s.title = "").title());
        assertFalse(DomainXmlWriter.write(spec(s -> s.title = null)).contains("<title"));
    }

    @Test
    void passwordNeverAppearsOutsideTheXmlForLibvirt() {
        DomainSpec spec = spec(s -> { });

        assertFalse(spec.toString().contains(PASSWORD), spec.toString());
        assertFalse(spec.graphics().toString().contains(PASSWORD));
        assertTrue(spec.graphics().toString().contains("password=(hidden)"), spec.graphics().toString());
        assertFalse(DomainXmlWriter.writeWithoutSecrets(spec).contains(PASSWORD));
        assertFalse(DomainXmlWriter.writeWithoutSecrets(spec).contains("passwd"));
        assertTrue(DomainXmlWriter.write(spec).contains(" passwd=\"" + PASSWORD + "\""));
        InvalidDomainSpecException tooLong = assertThrows(InvalidDomainSpecException.class,
                () -> new VncGraphics("127.0.0.1", "123456789", null, false));
        assertFalse(tooLong.getMessage().contains("123456789"), tooLong.getMessage());
    }

    // ---- reading what libvirt says ----------------------------------------------------------------------------

    @Test
    void readsWhatLibvirtReportsOfARunningDomain() throws DomainXmlException {
        String xml = """
                <domain type='qemu' id='1' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
                  <name>kvmstudio-SOFTINST-7</name>
                  <uuid>0b6f5ad2-3c1e-4f53-9a57-6c1d2e3f4a57</uuid>
                  <metadata>
                    <kvmstudio:instance xmlns:kvmstudio="https://kvmstudio.org/xmlns/libvirt/instance/1">
                      <kvmstudio:workspace>ws-1</kvmstudio:workspace>
                      <kvmstudio:release>https://lab.example/kvm/software.cfg</kvmstudio:release>
                      <kvmstudio:software-type>default</kvmstudio:software-type>
                      <kvmstudio:reference>my vm</kvmstudio:reference>
                      <kvmstudio:instance-guid>SOFTINST-7</kvmstudio:instance-guid>
                    </kvmstudio:instance>
                  </metadata>
                  <memory unit='KiB'>262144</memory>
                  <currentMemory unit='KiB'>262144</currentMemory>
                  <vcpu placement='static'>1</vcpu>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='qcow2'/>
                      <source file='/var/lib/kvmstudio/SOFTINST-7/disk.qcow2' index='2'/>
                      <backingStore/>
                      <target dev='vda' bus='virtio'/>
                      <alias name='virtio-disk0'/>
                    </disk>
                    <disk type='block' device='disk'>
                      <source dev='/dev/sdb'/>
                      <target dev='sda' bus='sata'/>
                    </disk>
                    <disk type='file' device='cdrom'>
                      <target dev='hdc' bus='ide'/>
                    </disk>
                    <graphics type='spice' port='5930'/>
                    <graphics type='vnc' port='15900' autoport='yes' websocket='16900' listen='127.0.0.1'>
                      <listen type='address' address='127.0.0.1'/>
                    </graphics>
                  </devices>
                </domain>
                """;

        LiveDomain live = DomainXmlReader.read(xml);

        assertEquals("kvmstudio-SOFTINST-7", live.name());
        assertEquals(UUID.fromString("0b6f5ad2-3c1e-4f53-9a57-6c1d2e3f4a57"), live.uuid());
        assertEquals(Optional.of(VirtType.QEMU), live.virtType());
        assertEquals(256, live.memoryMiB());
        assertEquals(1, live.vcpus());
        assertEquals(List.of(
                new LiveDisk("vda", "virtio", "disk", Optional.of(new FileSource("/var/lib/kvmstudio/SOFTINST-7/disk.qcow2"))),
                new LiveDisk("sda", "sata", "disk", Optional.empty()),
                new LiveDisk("hdc", "ide", "cdrom", Optional.empty())), live.disks());
        assertEquals(new LiveGraphics(OptionalInt.of(15900), OptionalInt.of(16900)), DomainXmlReader.graphics(xml));
        assertEquals(Optional.of(new InstanceMetadata("ws-1", "https://lab.example/kvm/software.cfg", "default", "my vm",
                "SOFTINST-7")), DomainXmlReader.metadata(xml));
    }

    @Test
    void portsNotAllocatedAreEmpty() throws DomainXmlException {
        assertEquals(LiveGraphics.NONE, DomainXmlReader.graphics(domain("<devices><graphics type='vnc' port='-1'"
                + " autoport='yes' websocket='-1'/></devices>")));
        assertEquals(new LiveGraphics(OptionalInt.of(5900), OptionalInt.empty()),
                DomainXmlReader.graphics(domain("<devices><graphics type='vnc' port='5900'/></devices>")));
        assertEquals(LiveGraphics.NONE, DomainXmlReader.graphics(domain("")));
        assertEquals(LiveGraphics.NONE, DomainXmlReader.graphics(domain("<devices><graphics type='spice'"
                + " port='5900'/></devices>")));
    }

    @Test
    void otherHypervisorsAreReadWithoutAVirtType() throws DomainXmlException {
        LiveDomain live = DomainXmlReader.read(domain("").replace("type='qemu'", "type='test'"));

        assertEquals("test", live.type());
        assertEquals(Optional.empty(), live.virtType());
    }

    @Test
    void memoryIsReadInLibvirtsUnits() throws DomainXmlException {
        Map<String, Long> kibByMemory = new LinkedHashMap<>();
        kibByMemory.put("<memory>1024</memory>", 1024L);
        kibByMemory.put("<memory unit='KiB'>262144</memory>", 262144L);
        kibByMemory.put("<memory unit='k'>5</memory>", 5L);
        kibByMemory.put("<memory unit='MiB'>256</memory>", 262144L);
        kibByMemory.put("<memory unit='M'>256</memory>", 262144L);
        kibByMemory.put("<memory unit='G'>2</memory>", 2097152L);
        kibByMemory.put("<memory unit='GB'>1</memory>", 976563L);
        kibByMemory.put("<memory unit='bytes'>2048</memory>", 2L);
        kibByMemory.put("<memory unit='b'>1</memory>", 1L);
        for (Map.Entry<String, Long> entry : kibByMemory.entrySet()) {
            String xml = domain("").replace("<memory unit='KiB'>262144</memory>", entry.getKey());

            assertEquals(entry.getValue(), DomainXmlReader.read(xml).memoryKiB(), entry.getKey());
        }
    }

    @Test
    void domainsThatAreNotOursHaveNoMetadata() throws DomainXmlException {
        String ours = "xmlns:k='" + InstanceMetadata.NAMESPACE + "'";
        String fields = "<k:workspace>w</k:workspace><k:release>r</k:release><k:software-type>s</k:software-type>"
                + "<k:reference>f</k:reference><k:instance-guid>g</k:instance-guid>";
        assertEquals(Optional.of(new InstanceMetadata("w", "r", "s", "f", "g")),
                DomainXmlReader.metadata(domain("<metadata><k:instance " + ours + ">" + fields + "<k:later>x</k:later>"
                        + "</k:instance></metadata>")), "a prefix of its own and a field of a later version");

        List<String> notOurs = List.of("",
                "<metadata/>",
                "<metadata><k:instance xmlns:k='https://example.org/other'>" + fields + "</k:instance></metadata>",
                "<metadata><k:instance xmlns:k='" + InstanceMetadata.NAMESPACE + "/'>" + fields + "</k:instance></metadata>",
                "<metadata><k:instance " + ours + ">" + fields.replace("<k:reference>f</k:reference>", "")
                        + "</k:instance></metadata>",
                "<metadata><k:instance " + ours + ">" + fields + "<k:reference>again</k:reference></k:instance></metadata>",
                "<metadata><k:instance " + ours + ">" + fields.replace("k:", "") + "</k:instance></metadata>",
                "<metadata><k:instance " + ours + ">" + fields.replace(">f<", "><b>f</b><") + "</k:instance></metadata>",
                "<metadata><k:instance " + ours + ">" + fields + "</k:instance><k:instance " + ours + ">" + fields
                        + "</k:instance></metadata>",
                "<title>x</title><metadata/><description>&lt;kvmstudio:instance/&gt;</description>");
        for (String metadata : notOurs) {
            assertEquals(Optional.empty(), DomainXmlReader.read(domain(metadata)).metadata(), metadata);
        }
    }

    // ---- hostile and broken replies ---------------------------------------------------------------------------

    @Test
    void externalEntityIsRefusedAndItsFileNeverRead() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "CANARY-3f1c");
        String xml = "<?xml version='1.0'?>\n<!DOCTYPE domain [<!ENTITY leak SYSTEM '" + secret.toUri() + "'>]>\n"
                + domain("").replace("<name>kvmstudio-SOFTINST-7</name>", "<name>&leak;</name>");

        DomainXmlException refused = assertThrows(DomainXmlException.class, () -> DomainXmlReader.read(xml));

        assertTrue(refused.getMessage().contains("DOCTYPE"), refused.getMessage());
        assertFalse(refused.getMessage().contains("CANARY"), refused.getMessage());
    }

    @Test
    void externalDtdsAndParameterEntitiesAreNeverFetched() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/evil.dtd";
            List<String> replies = List.of(
                    "<!DOCTYPE domain SYSTEM '" + url + "'>" + domain(""),
                    "<!DOCTYPE domain [<!ENTITY % p SYSTEM '" + url + "'> %p;]>" + domain(""),
                    "<!DOCTYPE domain PUBLIC '-//x//y' '" + url + "'>" + domain(""));
            for (String xml : replies) {
                assertThrows(DomainXmlException.class, () -> DomainXmlReader.read(xml), xml);
            }

            server.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, server::accept, "the reader connected to fetch a DTD");
        }
    }

    @Test
    void xincludeIsNotFollowed() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "CANARY-77aa");
        String xml = domain("<metadata><xi:include xmlns:xi='http://www.w3.org/2001/XInclude' href='" + secret.toUri()
                + "' parse='text'/></metadata>");

        LiveDomain live = DomainXmlReader.read(xml);

        assertFalse(live.toString().contains("CANARY"), live.toString());
    }

    @Test
    void billionLaughsIsRefusedAtOnce() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE domain [<!ENTITY l0 'lol'>");
        for (int i = 1; i <= 10; i++) {
            dtd.append("<!ENTITY l").append(i).append(" '").append(("&l" + (i - 1) + ";").repeat(10)).append("'>");
        }
        String xml = dtd + "]>" + domain("").replace("<name>kvmstudio-SOFTINST-7</name>", "<name>&l10;</name>");

        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(DomainXmlException.class, () -> DomainXmlReader.read(xml)));
    }

    @Test
    void hugeRepliesAreRefusedBeforeParsing() {
        String huge = domain("<description>" + "x".repeat(DomainXmlReader.MAX_CHARS) + "</description>");

        DomainXmlException refused = assertThrows(DomainXmlException.class, () -> DomainXmlReader.read(huge));

        assertTrue(refused.getMessage().contains("characters long"), refused.getMessage());
        assertTrue(refused.getMessage().length() < 200, "the message does not quote the reply");
    }

    @Test
    void deeplyNestedRepliesAreRefused() {
        String deep = domain("<metadata>" + "<a>".repeat(100_000) + "</a>".repeat(100_000) + "</metadata>");

        assertThrows(DomainXmlException.class, () -> DomainXmlReader.read(deep));
    }

    @Test
    void whatIsNotXmlIsRefusedWithoutANullPointerException() {
        List<String> replies = new ArrayList<>(List.of("", "   ", "error: failed to get domain 'x'", "<domain",
                "<?xml version='1.0'?>", "<domain type='qemu'><name>a</name></domain>trailing", "\u0000\u0001binary",
                "<domain type='qemu'><name>a&b</name></domain>", "<a:domain xmlns:a='urn:x'/>", "<network/>"));
        replies.add(null);
        for (String xml : replies) {
            DomainXmlException refused = assertThrows(DomainXmlException.class, () -> DomainXmlReader.read(xml),
                    String.valueOf(xml));
            assertFalse(refused.getMessage().isBlank());
        }
    }

    @Test
    void repliesLackingWhatEveryDomainHasAreRefused() {
        String good = domain("");
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("no type", good.replace(" type='qemu'", ""));
        broken.put("no name", good.replace("<name>kvmstudio-SOFTINST-7</name>", ""));
        broken.put("two names", good.replace("<name>kvmstudio-SOFTINST-7</name>", "<name>a</name><name>b</name>"));
        broken.put("markup in name", good.replace("<name>kvmstudio-SOFTINST-7</name>", "<name><b>a</b></name>"));
        broken.put("markup in description", good.replace("<vcpu>", "<description><b>x</b></description><vcpu>"));
        broken.put("no uuid", good.replace("<uuid>0b6f5ad2-3c1e-4f53-9a57-6c1d2e3f4a57</uuid>", ""));
        broken.put("uuid Java would take", good.replace("0b6f5ad2-3c1e-4f53-9a57-6c1d2e3f4a57", "1-1-1-1-1"));
        broken.put("no memory", good.replace("<memory unit='KiB'>262144</memory>", ""));
        broken.put("memory not a number", good.replace(">262144<", ">256M<"));
        broken.put("negative memory", good.replace(">262144<", ">-1<"));
        broken.put("memory overflowing", good.replace("<memory unit='KiB'>262144</memory>",
                "<memory unit='EiB'>9223372036854775807</memory>"));
        broken.put("unknown memory unit", good.replace("unit='KiB'", "unit='parsecs'"));
        broken.put("no vcpu", good.replace("<vcpu>1</vcpu>", ""));
        broken.put("zero vcpus", good.replace("<vcpu>1</vcpu>", "<vcpu>0</vcpu>"));
        broken.put("vcpus not a number", good.replace("<vcpu>1</vcpu>", "<vcpu>many</vcpu>"));
        broken.put("disk without target", domain("<devices><disk type='file'><source file='/a'/></disk></devices>"));
        broken.put("target without bus", domain("<devices><disk type='file'><target dev='vda'/></disk></devices>"));
        broken.put("vnc port out of range", domain("<devices><graphics type='vnc' port='70000'/></devices>"));
        broken.put("websocket not a number", domain("<devices><graphics type='vnc' port='5900' websocket='x'/></devices>"));
        for (Map.Entry<String, String> entry : broken.entrySet()) {
            DomainXmlException refused = assertThrows(DomainXmlException.class,
                    () -> DomainXmlReader.read(entry.getValue()), entry.getKey());
            assertTrue(refused.getMessage().startsWith("The "), entry.getKey() + ": " + refused.getMessage());
        }
    }

    @Test
    void sourcesThisPackageWouldRefuseAreReportedAsUnknown() throws DomainXmlException {
        LiveDomain live = DomainXmlReader.read(domain("<devices>"
                + "<disk type='file' device='disk'><source file='/a/../etc/shadow'/><target dev='vda' bus='virtio'/></disk>"
                + "<disk type='network' device='disk'><source protocol='rbd' name='p/i'><host name='ceph'/></source>"
                + "<target dev='vdb' bus='virtio'/></disk>"
                + "<disk type='network' device='disk'><source protocol='nbd'><host transport='unix' socket='/s'/></source>"
                + "<target dev='vdc' bus='virtio'/></disk>"
                + "<disk type='network' device='disk'><source protocol='nbd' name='e'><host name='::1'/></source>"
                + "<target dev='vdd' bus='virtio'/></disk></devices>"));

        assertEquals(List.of(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new NbdSource("::1", 10809, "e"))), live.disks().stream().map(LiveDisk::source).toList());
    }

    // ---- target device names ----------------------------------------------------------------------------------

    @Test
    void virtioDisksAreNamedInListOrder() {
        assertEquals(List.of("vda", "vdb"), DiskTargets.assign(List.of(disk(file("/a"), DiskBus.VIRTIO),
                disk(file("/b"), DiskBus.VIRTIO))));
    }

    @Test
    void eachBusCountsOnItsOwn() {
        DiskSpec floppy = new DiskSpec(file("/f"), DiskDevice.FLOPPY, "raw", DiskBus.FDC, null, false, null);

        assertEquals(List.of("vda", "sda", "fda", "vdb", "sdb", "fdb"), DiskTargets.assign(List.of(
                disk(file("/a"), DiskBus.VIRTIO), disk(file("/b"), DiskBus.SCSI), floppy,
                disk(file("/c"), DiskBus.VIRTIO), cdrom(file("/d"), DiskBus.SCSI), floppy)));
    }

    @Test
    void ideCdromsTakeTheSecondaryChannelAndDisksThePrimary() {
        DiskSpec disk = disk(file("/d"), DiskBus.IDE);
        DiskSpec cdrom = cdrom(file("/c"), DiskBus.IDE);

        assertEquals(List.of("hda", "hdc"), DiskTargets.assign(List.of(disk, cdrom)));
        assertEquals(List.of("hdc", "hda"), DiskTargets.assign(List.of(cdrom, disk)));
        assertEquals(List.of("hda", "hdb", "hdc", "hdd"), DiskTargets.assign(List.of(disk, disk, disk, disk)));
        assertEquals(List.of("hda", "hdc", "hdb", "hdd"), DiskTargets.assign(List.of(disk, cdrom, disk, disk)));
        assertEquals(List.of("hdc", "hdd", "hdb", "hda"), DiskTargets.assign(List.of(cdrom, cdrom, cdrom, cdrom)));
        assertEquals(List.of("hdc", "hdd", "hda"), DiskTargets.assign(List.of(cdrom, cdrom, disk)));
    }

    @Test
    void aFifthIdeDeviceIsRefused() {
        DiskSpec disk = disk(file("/d"), DiskBus.IDE);

        InvalidDomainSpecException refused = assertThrows(InvalidDomainSpecException.class,
                () -> spec(s -> s.disks = List.of(disk, disk, disk, disk, cdrom(file("/c"), DiskBus.IDE))));

        assertEquals("5 disks are on the ide bus, which takes 4 (hda, hdb, hdc, hdd); put some on another bus.",
                refused.getMessage());
    }

    @Test
    void targetSuffixesFollowLibvirt() {
        assertEquals(List.of("a", "z", "aa", "ab", "az", "ba", "zz", "aaa"), Stream.of(0, 25, 26, 27, 51, 52, 701, 702)
                .map(DiskTargets::letters).toList());
    }

    // ---- SlapOS parameters ------------------------------------------------------------------------------------

    @Test
    void slapOsDiskTypesMapToBuses() {
        assertEquals(DiskBus.VIRTIO, DiskBus.fromSlapOs("virtio"));
        assertEquals(DiskBus.IDE, DiskBus.fromSlapOs("ide"));
        assertEquals(DiskBus.SCSI, DiskBus.fromSlapOs("scsi"));
        assertEquals(DiskBus.FDC, DiskBus.fromSlapOs("floppy"));
        assertEquals(DiskDevice.FLOPPY, DiskBus.fromSlapOs("floppy").defaultDevice());
        assertEquals(DiskDevice.DISK, DiskBus.fromSlapOs("virtio").defaultDevice());
    }

    @Test
    void slapOsDiskTypesWithoutLibvirtBusAreRefusedWithASentence() {
        for (String type : new String[] { "mtd", "pflash", "sd", "usb", "VIRTIO", null }) {
            UnsupportedDiskTypeException refused = assertThrows(UnsupportedDiskTypeException.class,
                    () -> DiskBus.fromSlapOs(type));
            assertEquals(type, refused.diskType());
            assertTrue(refused.getMessage().matches("The disk-type .*; use virtio, ide, scsi or floppy\\."),
                    refused.getMessage());
        }
        assertTrue(assertThrows(UnsupportedDiskTypeException.class, () -> DiskBus.fromSlapOs("mtd")).getMessage()
                .contains("no MTD disk bus"));
        assertTrue(assertThrows(UnsupportedDiskTypeException.class, () -> DiskBus.fromSlapOs("pflash")).getMessage()
                .contains("firmware"));
    }

    @Test
    void unknownNicModelsAreRefused() {
        for (String model : new String[] { "rtl8029", "virtio-net-pci,addr=0x3", "e1000\",\"romfile\":\"/x", "", null }) {
            InvalidDomainSpecException refused = assertThrows(InvalidDomainSpecException.class,
                    () -> NicModel.fromQemuName(model));
            assertTrue(refused.getMessage().endsWith("is not supported; use one of virtio-net-pci, e1000, ne2k_isa,"
                    + " ne2k_pci, pcnet, rtl8139, usb-net, vmxnet3."), refused.getMessage());
        }
        assertEquals(NicModel.NE2K_ISA, NicModel.fromQemuName("ne2k_isa"));
    }

    @Test
    void pciAdaptersGetSlot0x1eAndOthersNone() throws UnknownHostException {
        PortForward ssh = new PortForward((Inet4Address) InetAddress.getByName("127.77.0.2"), 10022, 22);
        for (NicModel model : NicModel.values()) {
            List<String> args = QemuNetArgs.of(new UserNetwork(model, List.of(ssh)));

            assertEquals(List.of("-netdev", "user,id=kvmstudio-net0,hostfwd=tcp:127.77.0.2:10022-:22", "-device",
                    "{\"driver\":\"" + model.qemuName() + "\",\"netdev\":\"kvmstudio-net0\",\"id\":\"kvmstudio-nic0\""
                            + (model.isPci() ? ",\"addr\":\"0x1e\"" : "") + "}"), args);
        }
        assertFalse(NicModel.NE2K_ISA.isPci());
        assertFalse(NicModel.USB_NET.isPci());
        assertEquals(List.of("-netdev", "user,id=kvmstudio-net0"),
                QemuNetArgs.of(new UserNetwork(NicModel.E1000, List.of())).subList(0, 2));
    }

    // ---- refusals -----------------------------------------------------------------------------------------------

    @Test
    void invalidValuesAreRefusedWithASentence() throws UnknownHostException {
        Inet4Address local = (Inet4Address) InetAddress.getByName("127.0.0.1");
        Map<String, Executable> refusals = new LinkedHashMap<>();
        refusals.put("path trick in name", () -> spec(s -> s.name = "../x"));
        refusals.put("slash in name", () -> spec(s -> s.name = "a/b"));
        refusals.put("empty name", () -> spec(s -> s.name = ""));
        refusals.put("long name", () -> spec(s -> s.name = "a".repeat(65)));
        refusals.put("hidden name", () -> spec(s -> s.name = ".x"));
        refusals.put("option-like name", () -> spec(s -> s.name = "-x"));
        refusals.put("guid unfit for a name", () -> DomainSpec.nameFor("SOFTINST 1"));
        refusals.put("missing uuid", () -> spec(s -> s.uuid = null));
        refusals.put("no memory", () -> spec(s -> s.memoryMiB = 0));
        refusals.put("too much memory", () -> spec(s -> s.memoryMiB = DomainSpec.MAX_MEMORY_MIB + 1));
        refusals.put("no vcpu", () -> spec(s -> s.vcpus = 0));
        refusals.put("machine with options", () -> spec(s -> s.machine = "pc,accel=kvm"));
        refusals.put("missing metadata", () -> spec(s -> s.metadata = null));
        refusals.put("null disk", () -> spec(s -> s.disks = java.util.Arrays.asList(disk(file("/a"), DiskBus.VIRTIO), null)));
        refusals.put("same boot order", () -> spec(s -> s.disks = List.of(disk(file("/a"), DiskBus.VIRTIO),
                disk(file("/b"), DiskBus.VIRTIO))));
        refusals.put("21 virtio disks", () -> spec(s -> s.disks = java.util.Collections.nCopies(21,
                new DiskSpec(file("/a"), DiskDevice.DISK, "raw", DiskBus.VIRTIO, null, false, null))));
        refusals.put("relative path", () -> file("disk.qcow2"));
        refusals.put("root path", () -> file("/"));
        refusals.put("dot-dot path", () -> file("/var/lib/kvmstudio/../../etc/shadow"));
        refusals.put("dot path", () -> file("/var/./x"));
        refusals.put("newline in path", () -> file("/var/lib/a\nb"));
        refusals.put("tab in path", () -> file("/var/lib/a\tb"));
        refusals.put("NUL in path", () -> file("/var/lib/a\u0000b"));
        refusals.put("serial log dot-dot", () -> spec(s -> s.serialLogPath = "/var/log/../../etc/passwd"));
        refusals.put("pool with slash", () -> new VolumeSource("a/b", "v"));
        refusals.put("volume dot-dot", () -> new VolumeSource("default", ".."));
        refusals.put("volume with slash", () -> new VolumeSource("default", "../v"));
        refusals.put("NBD host with space", () -> new NbdSource("a b", 10809, ""));
        refusals.put("NBD host with zone", () -> new NbdSource("fe80::1%eth0", 10809, ""));
        refusals.put("NBD host bad IPv6", () -> new NbdSource("1::2::3", 10809, ""));
        refusals.put("NBD host half bracket", () -> new NbdSource("[::1", 10809, ""));
        refusals.put("NBD port 0", () -> new NbdSource("::1", 0, ""));
        refusals.put("NBD export with NUL", () -> new NbdSource("::1", 10809, "a\u0000"));
        refusals.put("NBD export too long", () -> new NbdSource("::1", 10809, "é".repeat(2049)));
        refusals.put("unknown format", () -> new DiskSpec(file("/a"), DiskDevice.DISK, "qcow3", DiskBus.VIRTIO, null, false, null));
        refusals.put("unknown cache", () -> new DiskSpec(file("/a"), DiskDevice.DISK, "raw", DiskBus.VIRTIO, "fast", false, null));
        refusals.put("cdrom on virtio", () -> cdrom(file("/a"), DiskBus.VIRTIO));
        refusals.put("floppy on ide", () -> new DiskSpec(file("/a"), DiskDevice.FLOPPY, "raw", DiskBus.IDE, null, false, null));
        refusals.put("disk on fdc", () -> new DiskSpec(file("/a"), DiskDevice.DISK, "raw", DiskBus.FDC, null, false, null));
        refusals.put("read-only IDE disk", () -> new DiskSpec(file("/a"), DiskDevice.DISK, "raw", DiskBus.IDE, null, true, null));
        refusals.put("boot order 0", () -> new DiskSpec(file("/a"), DiskDevice.DISK, "raw", DiskBus.VIRTIO, null, false, 0));
        refusals.put("VNC password of 9", () -> new VncGraphics("127.0.0.1", "123456789", null, false));
        refusals.put("VNC password empty", () -> new VncGraphics("127.0.0.1", "", null, false));
        refusals.put("VNC password not ASCII", () -> new VncGraphics("127.0.0.1", "pässwd", null, false));
        refusals.put("VNC listen hostname", () -> new VncGraphics("localhost", PASSWORD, null, false));
        refusals.put("VNC keymap", () -> new VncGraphics("127.0.0.1", PASSWORD, "en_US'", false));
        refusals.put("forward port 0", () -> new PortForward(local, 0, 22));
        refusals.put("guest port too big", () -> new PortForward(local, 2222, 65536));
        refusals.put("same host port twice", () -> new UserNetwork(NicModel.E1000,
                List.of(new PortForward(local, 2222, 22), new PortForward(local, 2222, 80))));
        refusals.put("metadata value too long", () -> new InstanceMetadata("w", "r", "s", "x".repeat(4097), "g"));
        refusals.put("missing reference", () -> new InstanceMetadata("w", "r", "s", null, "g"));
        for (Map.Entry<String, Executable> refusal : refusals.entrySet()) {
            InvalidDomainSpecException refused = assertThrows(InvalidDomainSpecException.class, refusal.getValue(),
                    refusal.getKey());
            assertTrue(refused.getMessage().matches("[A-Z0-9].*\\.") && !refused.getMessage().contains("\n"),
                    refusal.getKey() + ": " + refused.getMessage());
        }
    }

    @Test
    void cdromsAreAlwaysReadOnlyAndIpv6HostsLoseTheirBrackets() {
        assertTrue(new DiskSpec(file("/a.iso"), DiskDevice.CDROM, "raw", DiskBus.IDE, null, false, null).readOnly());
        assertEquals("::1", new NbdSource("[::1]", 10809, null).host());
        assertEquals("", new NbdSource("[::1]", 10809, null).exportName());
        assertEquals("2001:db8::7", new NbdSource("2001:db8::7", 10809, "").host());
        assertEquals("10.0.0.7", new NbdSource("10.0.0.7", 10809, "").host());
        assertEquals("nbd-1.example.org", new NbdSource("nbd-1.example.org", 10809, "").host());
    }

    // ---- fixtures -----------------------------------------------------------------------------------------------

    /** Specs covering every element the writer can produce, each one through libvirt's schema and back. */
    private static Map<String, DomainSpec> catalogue() {
        Map<String, DomainSpec> specs = new LinkedHashMap<>();
        specs.put("default", spec(s -> { }));
        specs.put("kvm", spec(s -> s.virtType = VirtType.KVM));
        specs.put("minimal", spec(s -> {
            s.title = null;
            s.description = null;
            s.disks = List.of();
            s.graphics = null;
            s.network = null;
            s.serialLogPath = null;
        }));
        specs.put("hostile-text", spec(s -> {
            s.title = HOSTILE;
            s.description = HOSTILE;
            s.metadata = new InstanceMetadata(HOSTILE, HOSTILE, HOSTILE, "../x", HOSTILE);
            s.disks = List.of(disk(new FileSource(HOSTILE_PATH), DiskBus.VIRTIO),
                    disk(new NbdSource("::1", 10809, HOSTILE), DiskBus.SCSI),
                    disk(new VolumeSource("pool <&>'\"]]>", "vol <&>'\"]]> \u202E😀"), DiskBus.IDE));
            s.serialLogPath = HOSTILE_PATH + ".log";
        }));
        specs.put("reference-slash", spec(s -> s.metadata = new InstanceMetadata("ws", "r", "t", "/", "SOFTINST-7")));
        specs.put("every-bus", spec(s -> s.disks = List.of(
                disk(new VolumeSource("default", "root.qcow2"), DiskBus.VIRTIO),
                new DiskSpec(new NbdSource("10.0.0.7", 10809, ""), DiskDevice.DISK, "raw", DiskBus.VIRTIO, "none", true, 2),
                new DiskSpec(file("/srv/data.raw"), DiskDevice.DISK, "raw", DiskBus.SCSI, "writeback", true, null),
                cdrom(new NbdSource("nbd.example.org", 10810, "iso"), DiskBus.SCSI),
                disk(file("/srv/ide0.qcow2"), DiskBus.IDE), cdrom(file("/srv/cd.iso"), DiskBus.IDE),
                new DiskSpec(file("/srv/floppy.img"), DiskDevice.FLOPPY, "raw", DiskBus.FDC, null, true, 3))));
        specs.put("vnc-plain", spec(s -> s.graphics = new VncGraphics("::1", "a' \"<&>", null, false)));
        for (NicModel model : NicModel.values()) {
            specs.put("nic-" + model.qemuName(), spec(s -> s.network = new UserNetwork(model, List.of())));
        }
        return specs;
    }

    /** The fields a test can change before the spec is built. */
    private static final class Spec {
        String name = DomainSpec.nameFor("SOFTINST-7");
        UUID uuid = UUID.fromString("0b6f5ad2-3c1e-4f53-9a57-6c1d2e3f4a57");
        String title = "Instance 7";
        String description = "A test instance";
        VirtType virtType = VirtType.QEMU;
        long memoryMiB = 256;
        int vcpus = 1;
        String machine = "pc";
        InstanceMetadata metadata = new InstanceMetadata("ws-1", "https://lab.example/kvm/software.cfg", "default",
                "my vm", "SOFTINST-7");
        List<DiskSpec> disks = List.of(disk(file("/var/lib/kvmstudio/SOFTINST-7/disk.qcow2"), DiskBus.VIRTIO),
                cdrom(new NbdSource("[::1]", 10809, "boot-image"), DiskBus.IDE));
        VncGraphics graphics = new VncGraphics("127.0.0.1", PASSWORD, "en-us", true);
        UserNetwork network = new UserNetwork(NicModel.VIRTIO_NET_PCI, List.of(forward(10022, 22), forward(10080, 80)));
        String serialLogPath = "/var/lib/kvmstudio/SOFTINST-7/serial.log";
    }

    private static DomainSpec spec(Consumer<Spec> change) {
        Spec s = new Spec();
        change.accept(s);
        return new DomainSpec(s.name, s.uuid, s.title, s.description, s.virtType, s.memoryMiB, s.vcpus, s.machine,
                s.metadata, s.disks, s.graphics, s.network, s.serialLogPath);
    }

    private static FileSource file(String path) {
        return new FileSource(path);
    }

    /** A disk that boots first: two of them in one spec collide, which one test wants. */
    private static DiskSpec disk(DiskSource source, DiskBus bus) {
        return new DiskSpec(source, DiskDevice.DISK, "qcow2", bus, null, false, bus == DiskBus.VIRTIO ? 1 : null);
    }

    private static DiskSpec cdrom(DiskSource source, DiskBus bus) {
        return new DiskSpec(source, DiskDevice.CDROM, "raw", bus, null, true, null);
    }

    private static PortForward forward(int hostPort, int guestPort) {
        try {
            return new PortForward((Inet4Address) InetAddress.getByName("127.77.0.2"), hostPort, guestPort);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** A domain as libvirt reports it, with {@code extra} inside. */
    private static String domain(String extra) {
        return "<domain type='qemu'><name>kvmstudio-SOFTINST-7</name>"
                + "<uuid>0b6f5ad2-3c1e-4f53-9a57-6c1d2e3f4a57</uuid><memory unit='KiB'>262144</memory><vcpu>1</vcpu>"
                + extra + "</domain>";
    }

    private static void assertRoundTrip(DomainSpec spec) throws DomainXmlException {
        LiveDomain live = DomainXmlReader.read(DomainXmlWriter.write(spec));

        assertEquals(spec.name(), live.name());
        assertEquals(spec.uuid(), live.uuid());
        assertEquals(Optional.of(spec.virtType()), live.virtType());
        assertEquals(Optional.ofNullable(spec.title()), live.title());
        assertEquals(Optional.ofNullable(spec.description()), live.description());
        assertEquals(spec.memoryMiB(), live.memoryMiB());
        assertEquals(spec.memoryMiB() * 1024, live.memoryKiB());
        assertEquals(spec.vcpus(), live.vcpus());
        assertEquals(Optional.of(spec.metadata()), live.metadata());
        assertEquals(LiveGraphics.NONE, live.graphics(), "ports are allocated only when the domain runs");
        List<String> targets = DiskTargets.assign(spec.disks());
        List<LiveDisk> expected = new ArrayList<>();
        for (int i = 0; i < spec.disks().size(); i++) {
            DiskSpec disk = spec.disks().get(i);
            expected.add(new LiveDisk(targets.get(i), disk.bus().libvirtName(), disk.device().libvirtName(),
                    Optional.of(disk.source())));
        }
        assertEquals(expected, live.disks());
    }

    private void assertLibvirtAccepts(String label, String xml) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(VALIDATOR),
                "libvirt's virt-xml-validate is not installed (" + VALIDATOR + "); libvirt-clients provides it");
        Path file = dir.resolve(label + ".xml");
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(VALIDATOR.toString(), file.toString(), "domain").redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "virt-xml-validate did not finish");
        assertEquals(0, process.exitValue(), label + ": " + output + "\n" + xml);
    }
}
