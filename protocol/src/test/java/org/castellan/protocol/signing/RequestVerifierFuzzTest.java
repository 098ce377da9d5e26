package org.castellan.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.castellan.protocol.Headers;

/**
 * Fuzzes the request-signature parser: arbitrary timestamp, nonce and signature header text,
 * method, path and body, sometimes correctly signed over whatever timestamp was chosen. The
 * verifier may only refuse with a {@link SignatureCheckException} of a known code (any other
 * exception is a finding), and may accept only a request that is signed by the device's key, has a
 * well-formed nonce and a timestamp within the allowed skew.
 */
class RequestVerifierFuzzTest {
    private static final long NOW = 1_800_000_000L;
    private static final DeviceKeyPair KEY = DeviceKeyPair.fromPrivateKey(new byte[32]);
    private static final Set<String> CODES = Set.of("missing-signature", "bad-signature", "stale-request", "replayed-request");

    @FuzzTest(maxDuration = "10s")
    void verifierAcceptsOnlyProperlySignedFreshRequests(FuzzedDataProvider data) {
        long timestamp = switch (data.consumeInt(0, 3)) {
            case 0 -> NOW + data.consumeLong(-400, 400);
            case 1 -> NOW + data.consumeLong();
            case 2 -> data.consumeLong();
            default -> NOW;
        };
        String timestampText = data.consumeBoolean() ? Long.toString(timestamp) : data.consumeString(40);
        String nonce = data.consumeBoolean() ? "n0nce-" + data.consumeAsciiString(40) : data.consumeString(80);
        String method = data.pickValue(new String[] {"POST", "GET", "post", data.consumeString(10)});
        String path = data.consumeString(200);
        boolean properlySigned = data.consumeBoolean();
        boolean realKey = data.consumeBoolean();
        String signatureText = properlySigned ? null : data.consumeString(120);
        String publicKey = realKey ? KEY.publicKeyBase64() : data.consumeString(60);
        boolean omitHeader = data.consumeInt(0, 9) == 0;
        byte[] body = data.consumeRemainingAsBytes();

        if (properlySigned) {
            long signedTimestamp = parses(timestampText) ? Long.parseLong(timestampText) : timestamp;
            signatureText = Base64.getEncoder().encodeToString(KEY.sign(
                    CanonicalRequest.build(method, path, "dev-1", signedTimestamp, nonce, body)));
        }
        Map<String, String> headers = new HashMap<>();
        headers.put(Headers.TIMESTAMP, timestampText);
        headers.put(Headers.NONCE, nonce);
        headers.put(Headers.SIGNATURE, signatureText);
        if (omitHeader) {
            headers.remove(data.pickValue(new String[] {Headers.TIMESTAMP, Headers.NONCE, Headers.SIGNATURE}));
        }
        RequestVerifier verifier = new RequestVerifier(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC),
                RequestVerifier.DEFAULT_MAX_SKEW, (key, n, t) -> true);
        boolean accepted;
        try {
            verifier.verify(method, path, headers::get, "dev-1", publicKey, body);
            accepted = true;
        } catch (SignatureCheckException e) {
            assertThat(CODES).contains(e.code());
            accepted = false;
        }
        if (accepted) {
            long parsed = Long.parseLong(timestampText);
            assertThat(properlySigned && realKey && !omitHeader).as("accepted an unsigned or foreign request").isTrue();
            assertThat(parsed).as("accepted a stale timestamp").isBetween(NOW - 300, NOW + 300);
            assertThat(nonce).matches("[A-Za-z0-9_-]{16,64}");
        }
    }

    private static boolean parses(String text) {
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
