package org.castellan.server.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.castellan.protocol.Secret;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@NoDatabase("no database, no server: the same on either backend")
class PasswordHasherTest {
    // Cheap parameters keep the suite fast; one test below runs the production defaults.
    private static final Argon2Params FAST = new Argon2Params(64, 2, 1);
    private final PasswordHasher hasher = new PasswordHasher(FAST, new SecureRandom());

    @Test
    void rfc9106Argon2idVectorMatchesTheUnderlyingFunction() {
        // RFC 9106 section 5.3: m=32 KiB, t=3, p=4, password 32x01, salt 16x02, secret 8x03, ad 12x04.
        byte[] password = filled(32, 0x01);
        byte[] tag = Argon2id.derive(password, filled(16, 0x02), new Argon2Params(32, 3, 4),
                filled(8, 0x03), filled(12, 0x04), 32);
        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void verifiesTheReferenceImplementationsPhcString() {
        // From P-H-C/phc-winner-argon2 src/test.c: proves our PHC parsing and encoding interoperate.
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(hasher.verify(Secret.of("password"), reference)).isTrue();
        assertThat(hasher.verify(Secret.of("passwore"), reference)).isFalse();
        assertThat(PhcHash.parse(reference).encode()).isEqualTo(reference);
    }

    @Test
    void rightPasswordVerifiesAndWrongOneDoesNot() {
        String encoded = hasher.hash(Secret.of("correct horse battery staple"));
        assertThat(hasher.verify(Secret.of("correct horse battery staple"), encoded)).isTrue();
        assertThat(hasher.verify(Secret.of("correct horse battery stapler"), encoded)).isFalse();
        assertThat(hasher.verify(Secret.of(""), encoded)).isFalse();
    }

    @Test
    void nonAsciiPasswordsAreHashedAsUtf8() {
        String encoded = hasher.hash(Secret.of("pässwörd-密码"));
        assertThat(hasher.verify(Secret.of("pässwörd-密码"), encoded)).isTrue();
        assertThat(hasher.verify(Secret.of("passwrd-"), encoded)).isFalse();
    }

    @Test
    void encodingIsPhcWithSixteenByteSaltAndThirtyTwoByteHash() {
        String encoded = hasher.hash(Secret.of("pw"));
        assertThat(encoded).matches("\\$argon2id\\$v=19\\$m=64,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        PhcHash parsed = PhcHash.parse(encoded);
        assertThat(parsed.params()).isEqualTo(FAST);
        assertThat(parsed.salt()).hasSize(16);
        assertThat(parsed.hash()).hasSize(32);
    }

    @Test
    void defaultParametersMeetTheMinimumCostAndRoundTrip() {
        PasswordHasher production = new PasswordHasher();
        assertThat(production.params().memoryKiB()).isGreaterThanOrEqualTo(19 * 1024);
        assertThat(production.params().iterations()).isGreaterThanOrEqualTo(2);
        assertThat(production.params().parallelism()).isEqualTo(1);
        String encoded = production.hash(Secret.of("s3cret"));
        assertThat(encoded).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(production.verify(Secret.of("s3cret"), encoded)).isTrue();
    }

    @Test
    void samePasswordTwiceGivesDifferentSaltsAndHashes() {
        PhcHash a = PhcHash.parse(hasher.hash(Secret.of("same")));
        PhcHash b = PhcHash.parse(hasher.hash(Secret.of("same")));
        assertThat(a.salt()).isNotEqualTo(b.salt());
        assertThat(a.hash()).isNotEqualTo(b.hash());
    }

    @Test
    void flippedHashByteMakesVerificationFail() {
        String encoded = hasher.hash(Secret.of("pw"));
        PhcHash parsed = PhcHash.parse(encoded);
        byte[] tampered = parsed.hash().clone();
        tampered[5] ^= 0x01;
        String tamperedEncoded = new PhcHash(parsed.params(), parsed.salt(), tampered).encode();
        assertThat(hasher.verify(Secret.of("pw"), tamperedEncoded)).isFalse();
    }

    @Test
    void changedSaltOrParametersMakeVerificationFail() {
        PhcHash parsed = PhcHash.parse(hasher.hash(Secret.of("pw")));
        byte[] salt = parsed.salt().clone();
        salt[0] ^= 0x40;
        assertThat(hasher.verify(Secret.of("pw"), new PhcHash(parsed.params(), salt, parsed.hash()).encode())).isFalse();
        assertThat(hasher.verify(Secret.of("pw"),
                new PhcHash(new Argon2Params(64, 3, 1), parsed.salt(), parsed.hash()).encode())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "plaintext-password",
        "$argon2i$v=19$m=64,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=16$m=64,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$t=2,m=64,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc=",
        "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPP",
        "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPd",
        "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1a-aMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=64,t=2,p=1$c29t$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRzYWx0$c2hvcnQ",
        "$argon2id$v=19$m=04,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=99999999999,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=64,t=1000,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc$extra",
        " $argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRzYWx0$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    })
    void malformedOrTamperedStringsAreRejectedWithoutEchoingThem(String encoded) {
        assertThatThrownBy(() -> hasher.verify(Secret.of("password"), encoded))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("password hash")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("c29tZXNhbHRzYWx0"));
    }

    @Test
    void hugeInputIsRejectedBeforeParsing() {
        String huge = "$argon2id$" + "A".repeat(100_000);
        assertThatThrownBy(() -> hasher.verify(Secret.of("x"), huge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("password hash is too long (100010 chars)");
    }

    @Test
    void needsRehashWhenParametersDifferFromTheCurrentOnes() {
        String old = hasher.hash(Secret.of("pw"));
        assertThat(hasher.needsRehash(old)).isFalse();
        PasswordHasher stronger = new PasswordHasher(new Argon2Params(128, 3, 1), new SecureRandom());
        assertThat(stronger.needsRehash(old)).isTrue();
        // The old hash still verifies with the new hasher: its parameters travel with it.
        assertThat(stronger.verify(Secret.of("pw"), old)).isTrue();
    }

    @Test
    void needsRehashWhenHashLengthDiffers() {
        PhcHash parsed = PhcHash.parse(hasher.hash(Secret.of("pw")));
        String shortHash = new PhcHash(FAST, parsed.salt(), Arrays.copyOf(parsed.hash(), 16)).encode();
        assertThat(hasher.needsRehash(shortHash)).isTrue();
    }

    @Test
    void unknownUserCheckIsAlwaysFalse() {
        assertThat(hasher.verifyUnknownUser(Secret.of("castellan-dummy-password"))).isFalse();
    }

    @Test
    void parametersOutsideSafeBoundsAreRefused() {
        assertThatThrownBy(() -> new Argon2Params(4, 2, 1)).hasMessageContaining("memory");
        assertThatThrownBy(() -> new Argon2Params(64, 0, 1)).hasMessageContaining("iterations");
        assertThatThrownBy(() -> new Argon2Params(64, 2, 0)).hasMessageContaining("parallelism");
    }

    @Test
    void saltIsBase64OfRawBytes() {
        String encoded = hasher.hash(Secret.of("pw"));
        String saltPart = encoded.split("\\$")[4];
        assertThat(Base64.getDecoder().decode(saltPart)).hasSize(16);
        assertThat(new String(Base64.getDecoder().decode("c29tZXNhbHQ"), StandardCharsets.US_ASCII)).isEqualTo("somesalt");
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
