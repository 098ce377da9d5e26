package org.castellan.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.castellan.api.PasswordReveal;
import org.castellan.cli.http.LenientJson;
import org.castellan.protocol.Secret;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming reader of a reveal gives what the CLI's lenient mapper gives, on every answer it
 * takes; gives up (wiping the passwords it had read) on every other, so the mapper reads those.
 */
class PasswordRevealReaderTest {
    private static final String FULL = "{\"deviceId\":\"5f0c7a9e\",\"hostname\":\"web01\",\"account\":\"root\","
            + "\"password\":\"c0rrect \\\"H0rse\\\" \\u00fc\\\\ \\ud83d\\ude00\",\"rotationId\":\"r-9\","
            + "\"rotatedAt\":\"2026-11-20T08:00:00Z\",\"expiresAt\":\"2026-12-20T08:00:00.123456789Z\","
            + "\"pending\":[{\"rotationId\":\"r-10\",\"account\":\"root\",\"password\":\"p-1\","
            + "\"escrowedAt\":\"2026-11-22T09:00:00.5Z\",\"note\":\"may be in use\"}]}";

    /** What servers answer, this version and others (new fields, fields left out). */
    static List<String> taken() {
        return List.of(FULL,
                FULL.replace("{\"deviceId\"", "{\"auditId\":42,\"future\":{\"a\":[1,{\"b\":null}]},\"deviceId\""),
                "{\"deviceId\":\"d\",\"hostname\":\"h\",\"account\":\"admin\",\"password\":null,\"rotationId\":null,"
                        + "\"rotatedAt\":null,\"expiresAt\":null,\"pending\":[{\"rotationId\":\"r-1\",\"account\":\"admin\","
                        + "\"password\":\"a\",\"escrowedAt\":\"2026-01-01T00:00:00Z\",\"note\":null,\"extra\":true},"
                        + "{\"rotationId\":\"r-2\",\"password\":\"b\"}]}",
                "{\"password\":\"only\"}", "{}", "{\"pending\":[]}", "{\"pending\":null}",
                " {\"password\" : \"\" , \"hostname\" : \"web01\" } \n",
                "{\"rotatedAt\":\"1970-01-01T00:00:00Z\",\"expiresAt\":\"+10000-01-01T00:00:00Z\"}");
    }

    /** What the mapper must judge: coercions, other spellings, duplicates, malformed JSON. */
    static List<String> givenUp() {
        return List.of(
                FULL.replace("\"hostname\":\"web01\"", "\"hostname\":101"),
                FULL.replace("\"account\":\"root\",\"password\":\"c0", "\"account\":true,\"password\":\"c0"),
                FULL.replace("\"rotatedAt\":\"2026-11-20T08:00:00Z\"", "\"rotatedAt\":\"2026-11-20T09:00:00+01:00\""),
                FULL.replace("\"rotatedAt\":\"2026-11-20T08:00:00Z\"", "\"rotatedAt\":1763625600"),
                FULL.replace("\"rotatedAt\":\"2026-11-20T08:00:00Z\"", "\"rotatedAt\":\"\""),
                FULL.replace("\"rotatedAt\":\"2026-11-20T08:00:00Z\"", "\"rotatedAt\":\" 2026-11-20T08:00:00Z\""),
                FULL.replace("\"rotatedAt\":\"2026-11-20T08:00:00Z\"", "\"rotatedAt\":\"2026-13-20T08:00:00Z\""),
                FULL.replace("\"rotationId\":\"r-9\"", "\"rotationId\":\"r-9\",\"password\":\"second\""),
                FULL.replace("\"note\":\"may be in use\"", "\"note\":\"x\",\"password\":\"dup\""),
                FULL.replace("\"pending\":[{", "\"pending\":[null,{"),
                FULL.replace("\"pending\":[{", "\"pending\":{\"x\":[{").replace("}]}", "}]}}"),
                FULL.replace("\"password\":\"p-1\"", "\"password\":7"),
                FULL + " {}", FULL.substring(0, FULL.length() - 1), "[" + FULL + "]", "null", "\"text\"", "");
    }

    @ParameterizedTest
    @MethodSource("taken")
    void readsWhatTheMapperReads(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        PasswordReveal streamed = PasswordRevealReader.read(bytes);
        PasswordReveal mapped = LenientJson.mapper().readValue(bytes, PasswordReveal.class);

        assertThat(streamed).as("taken by the streaming reader").isNotNull();
        assertThat(described(streamed)).isEqualTo(described(mapped));
    }

    @ParameterizedTest
    @MethodSource("givenUp")
    void givesUpOnTheRestAndWipesWhatItRead(String body) {
        List<Secret> made = new ArrayList<>();

        assertThat(PasswordRevealReader.read(body.getBytes(StandardCharsets.UTF_8), made)).isNull();
        assertThat(made).allSatisfy(secret -> assertThat(secret.isCleared()).isTrue());
    }

    /** Every field, the secrets' characters included (Secret has no equals, on purpose). */
    static String described(PasswordReveal reveal) {
        StringBuilder text = new StringBuilder(List.of(String.valueOf(reveal.deviceId()), String.valueOf(reveal.hostname()),
                String.valueOf(reveal.account()), secret(reveal.password()), String.valueOf(reveal.rotationId()),
                String.valueOf(reveal.rotatedAt()), String.valueOf(reveal.expiresAt())).toString());
        text.append(reveal.pending() == null ? " pending=null" : " pending=" + reveal.pending().size());
        for (PasswordReveal.Pending pending : reveal.pendingOrEmpty()) {
            text.append(List.of(String.valueOf(pending.rotationId()), String.valueOf(pending.account()),
                    secret(pending.password()), String.valueOf(pending.escrowedAt()), String.valueOf(pending.note())));
        }
        return text.toString();
    }

    private static String secret(Secret secret) {
        return secret == null ? "no secret" : "secret[" + new String(secret.chars()) + "]";
    }
}
