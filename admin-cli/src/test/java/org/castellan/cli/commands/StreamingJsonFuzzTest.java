package org.castellan.cli.commands;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.castellan.api.PasswordReveal;
import org.castellan.cli.http.LenientJson;
import org.castellan.cli.http.StreamingJson;

/**
 * Fuzzes the streaming readers of {@code password get} against the mapper they stand in for. On
 * any input: a tree the streaming reader builds itself equals the mapper's, and it builds none
 * where the mapper refuses; a reveal it reads equals the mapper's, field for field and password
 * for password. Anything else (a different value, an exception escaping) is a finding.
 */
class StreamingJsonFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void streamingReadersAgreeWithTheMapper(FuzzedDataProvider data) {
        byte[] json = data.consumeRemainingAsBytes();
        boolean[] fellBack = {false};
        JsonNode streamed;
        try {
            streamed = StreamingJson.tree(json, () -> {
                fellBack[0] = true;
                return LenientJson.mapper();
            });
        } catch (IOException e) {
            streamed = null;
        }
        JsonNode mapped;
        try {
            mapped = LenientJson.mapper().readTree(json);
        } catch (IOException e) {
            mapped = null;
        }
        if (!fellBack[0] && (mapped == null || !mapped.equals(streamed))) {
            throw new AssertionError("the streaming tree differs from the mapper's");
        }

        PasswordReveal reveal = PasswordRevealReader.read(json);
        if (reveal == null) {
            return;
        }
        PasswordReveal expected;
        try {
            expected = LenientJson.mapper().readValue(json, PasswordReveal.class);
        } catch (IOException e) {
            throw new AssertionError("the streaming reader took a reveal the mapper refuses", e);
        }
        if (!PasswordRevealReaderTest.described(reveal).equals(PasswordRevealReaderTest.described(expected))) {
            throw new AssertionError("the streaming reveal differs from the mapper's");
        }
    }
}
