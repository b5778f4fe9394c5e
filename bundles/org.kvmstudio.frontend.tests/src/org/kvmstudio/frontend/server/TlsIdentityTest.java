package org.kvmstudio.frontend.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The frontend's certificate: generated for its domain, kept as PEM, read back, checked. */
class TlsIdentityTest {

    private final Instant now = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void aGeneratedCertificateNamesItsDomainAndReadsBackTheSame() throws Exception {
        TlsIdentity made = TlsIdentity.generate("Bücher.example", now);
        assertEquals("CN=xn--bcher-kva.example,O=KVM Studio frontend (self-signed)",
                made.chain().get(0).getSubjectX500Principal().getName());
        TlsIdentity read = TlsIdentity.fromPem(made.certificatesPem(), made.privateKeyPem(), now);
        assertTrue(read.sameAs(made));
        assertTrue(read.isCurrentFor("xn--bcher-kva.example", now));
        assertTrue(read.isCurrentFor("BÜCHER.example", now), "the same domain, however it is written");
        assertFalse(read.isCurrentFor("other.example", now), "another domain needs another certificate");
        assertFalse(read.isCurrentFor("xn--bcher-kva.example", now.plus(Duration.ofDays(380))), "renewed a month before it expires");
        assertTrue(made.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8");
    }

    @Test
    void aGivenCertificateMustNameTheDomainExactlyOrByAWildcardOfOneLabel() {
        TlsIdentity.generate("localhost", now).checkCovers("LOCALHOST");
        TlsIdentity wildcard = TlsIdentity.selfSigned("example.com", java.util.List.of("*.example.com", "example.com"), now);
        wildcard.checkCovers("www.example.com");
        wildcard.checkCovers("example.com");
        assertEquals("the certificate is for *.example.com, example.com, not for the frontend's domain a.b.example.com",
                assertThrows(IllegalArgumentException.class, () -> wildcard.checkCovers("a.b.example.com")).getMessage(),
                "a wildcard stands for one label only");
        assertThrows(IllegalArgumentException.class, () -> wildcard.checkCovers("wwwexample.com"));
        TlsIdentity overATopLevelDomain = TlsIdentity.selfSigned("com", java.util.List.of("*.com"), now);
        assertThrows(IllegalArgumentException.class, () -> overATopLevelDomain.checkCovers("example.com"), "browsers refuse *.com");
        TlsIdentity upperCase = TlsIdentity.selfSigned("Example.COM", java.util.List.of("Example.COM"), now);
        upperCase.checkCovers("example.com");
        assertThrows(IllegalArgumentException.class, () -> TlsIdentity.generate("one.example", now).checkCovers("two.example"));
    }

    @Test
    void aKeyOfAnotherCertificateOrAnExpiredOneIsRefusedWithoutQuotingTheKey() {
        TlsIdentity one = TlsIdentity.generate("one.example", now);
        TlsIdentity two = TlsIdentity.generate("two.example", now);
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> TlsIdentity.fromPem(one.certificatesPem(), two.privateKeyPem(), now));
        assertEquals("the private key is not the key of the certificate CN=one.example,O=KVM Studio frontend (self-signed)",
                mismatch.getMessage());
        IllegalArgumentException expired = assertThrows(IllegalArgumentException.class,
                () -> TlsIdentity.fromPem(one.certificatesPem(), one.privateKeyPem(), now.plus(Duration.ofDays(400))));
        assertTrue(expired.getMessage().contains("not now"), expired.getMessage());
        String garbledKey = one.privateKeyPem().replace("PRIVATE KEY-----\n", "PRIVATE KEY-----\nAAAA");
        IllegalArgumentException garbled = assertThrows(IllegalArgumentException.class,
                () -> TlsIdentity.fromPem(one.certificatesPem(), garbledKey, now));
        assertEquals("the private key is not an unencrypted PEM private key", garbled.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsIdentity.fromPem("", one.privateKeyPem(), now));
        assertThrows(IllegalArgumentException.class, () -> TlsIdentity.fromPem(one.privateKeyPem(), one.privateKeyPem(), now));
    }
}
