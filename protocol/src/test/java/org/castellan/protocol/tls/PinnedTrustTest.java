package org.castellan.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class PinnedTrustTest {
    private static X509Certificate selfSigned(String cn) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=" + cn);
        long now = System.currentTimeMillis();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, new Date(now - 1000),
                new Date(now + 86_400_000L), name, pair.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    @Test
    void pinnedTrustAcceptsExactlyTheFingerprintedCertificate() throws Exception {
        X509Certificate server = selfSigned("server");
        X509Certificate impostor = selfSigned("server");
        PinnedTrust trust = PinnedTrust.pinned(Fingerprints.sha256Hex(server));
        assertThat(trust.isPinned()).isTrue();
        assertThatCode(() -> trust.trustManager().checkServerTrusted(new X509Certificate[] {server}, "ECDHE_ECDSA"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> trust.trustManager().checkServerTrusted(new X509Certificate[] {impostor}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("does not match");
    }

    @Test
    void fingerprintsArePastedInAnyCommonForm() throws Exception {
        X509Certificate cert = selfSigned("x");
        String hex = Fingerprints.sha256Hex(cert);
        StringBuilder colons = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            colons.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        assertThat(Fingerprints.normalize(colons.toString().toUpperCase())).isEqualTo(hex);
        assertThatThrownBy(() -> Fingerprints.normalize("abc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void systemCasTrustIsNotPinned() {
        assertThat(PinnedTrust.systemCas().isPinned()).isFalse();
    }
}
