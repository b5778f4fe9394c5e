package org.kvmstudio.frontend.server;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A frontend's certificate chain and private key, read from PEM (the user's own pair) or generated
 * for its domain. Bouncy Castle reads and writes the PEM; the JDK does the cryptography.
 */
public final class TlsIdentity {

    /** How long a generated certificate is valid; it is made again when less than a month is left. */
    static final Duration GENERATED_VALIDITY = Duration.ofDays(397);
    /** How long before its end a certificate is renewed (generated) or said to end soon (given). */
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private TlsIdentity(List<X509Certificate> chain, PrivateKey key) {
        this.chain = List.copyOf(chain);
        this.key = key;
    }

    /**
     * Reads a certificate chain (the server's certificate first) and its private key (PKCS#8 or
     * the traditional RSA/EC form), and checks that they belong together and are valid now.
     *
     * @throws IllegalArgumentException saying what is wrong, never quoting the key
     */
    public static TlsIdentity fromPem(String certificates, String privateKey, Instant now) {
        List<X509Certificate> chain = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(certificates))) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (!(o instanceof X509CertificateHolder holder)) {
                    throw new IllegalArgumentException("the certificate text holds something other than certificates");
                }
                chain.add(converter.getCertificate(holder));
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw e instanceof IllegalArgumentException iae ? iae
                    : new IllegalArgumentException("the certificate is not a PEM certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the certificate text holds no PEM certificate");
        }
        PrivateKey key;
        try (PEMParser parser = new PEMParser(new StringReader(privateKey))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                key = converter.getPrivateKey(pair.getPrivateKeyInfo()); // an EC key may come without its public half
            } else if (o instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else {
                throw new IllegalArgumentException("the private key is not an unencrypted PEM private key");
            }
        } catch (IOException | RuntimeException e) {
            // the parser's message may quote the text: say only what kind of problem it is
            throw e instanceof IllegalArgumentException iae ? iae
                    : new IllegalArgumentException("the private key is not an unencrypted PEM private key");
        }
        X509Certificate leaf = chain.get(0);
        if (!belongTogether(leaf, key)) {
            throw new IllegalArgumentException("the private key is not the key of the certificate " + leaf.getSubjectX500Principal().getName());
        }
        if (now.isAfter(leaf.getNotAfter().toInstant()) || now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new IllegalArgumentException("the certificate " + leaf.getSubjectX500Principal().getName() + " is valid from "
                    + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ", not now");
        }
        return new TlsIdentity(chain, key);
    }

    /** A new self-signed certificate for {@code domain} (an EC P-256 key), valid from {@code now}. */
    public static TlsIdentity generate(String domain, Instant now) {
        String ascii = ServerSettings.asciiDomain(domain);
        return selfSigned(ascii, List.of(ascii), now);
    }

    /** A self-signed certificate named {@code commonName} for the DNS names {@code names} (a wildcard in tests). */
    static TlsIdentity selfSigned(String commonName, List<String> names, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "KVM Studio frontend (self-signed)")
                    .addRDN(BCStyle.CN, commonName).build();
            BigInteger serial = new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(GENERATED_VALIDITY)), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                    names.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            return new TlsIdentity(List.of(new JcaX509CertificateConverter().getCertificate(holder)), pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a certificate for " + commonName, e);
        }
    }

    /** Whether this is a certificate made by {@link #generate} for {@code domain} that is not due for renewal at {@code now}. */
    public boolean isCurrentFor(String domain, Instant now) {
        try {
            return dnsNames().contains(ServerSettings.asciiDomain(domain))
                    && now.plus(RENEW_BEFORE).isBefore(chain.get(0).getNotAfter().toInstant());
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /**
     * Checks that the certificate names {@code domain} (exactly, or by a {@code *.} wildcard of one
     * label): a browser refuses it otherwise, so a frontend must not serve it.
     *
     * @throws IllegalArgumentException naming what the certificate is for
     */
    public void checkCovers(String domain) {
        String ascii = ServerSettings.asciiDomain(domain);
        List<String> names;
        try {
            names = dnsNames();
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("the certificate's names cannot be read: " + e.getMessage(), e);
        }
        for (String name : names) {
            // a wildcard stands for one label, and never over a bare top-level domain (*.com), as browsers judge it
            boolean wildcard = name.startsWith("*.") && name.indexOf('.', 2) > 0;
            if (name.equals(ascii) || wildcard && ascii.indexOf('.') > 0 && ascii.substring(ascii.indexOf('.')).equals(name.substring(1))) {
                return;
            }
        }
        throw new IllegalArgumentException("the certificate is for " + (names.isEmpty() ? "no DNS name" : String.join(", ", names))
                + ", not for the frontend's domain " + ascii);
    }

    /** The DNS names of the leaf certificate, lower case (as {@link ServerSettings#asciiDomain} writes a domain). */
    private List<String> dnsNames() throws CertificateParsingException {
        var alternatives = chain.get(0).getSubjectAlternativeNames();
        return alternatives == null ? List.of() : alternatives.stream().filter(n -> Integer.valueOf(GeneralName.dNSName).equals(n.get(0)))
                .map(n -> n.get(1).toString().toLowerCase(Locale.ROOT)).toList();
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    /** The chain in PEM. */
    public String certificatesPem() {
        return pem(chain.toArray());
    }

    /** The private key in PEM (PKCS#8): to be stored readable by the owner only. */
    public String privateKeyPem() {
        try {
            return pem(new Object[] {new JcaPKCS8Generator(key, null)});
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot write the frontend's key", e);
        }
    }

    /** An in-memory key store holding this identity, for Jetty. */
    KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("frontend", key, password, chain.toArray(new X509Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot hold the frontend's key in a key store", e);
        }
    }

    /** Whether this identity is the same as {@code other} (a server needs no restart for it). */
    public boolean sameAs(TlsIdentity other) {
        return other != null && chain.equals(other.chain) && Arrays.equals(key.getEncoded(), other.key.getEncoded());
    }

    private static String pem(Object[] objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                writer.writeObject(Objects.requireNonNull(o));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
        return out.toString();
    }

    /** Signs and verifies a probe: works for any key type without knowing its algorithm's parameters. */
    private static boolean belongTogether(X509Certificate certificate, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] probe = "kvmstudio".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
