package org.castellan.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.CharacterCodingException;
import java.util.Set;
import org.castellan.protocol.Json;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.RotationOutcome;
import org.castellan.server.admin.ChannelRoutes;
import org.castellan.server.admin.UserGroupRoutes;
import org.castellan.server.policy.PolicyUpdate;
import org.castellan.server.admin.RegistrationKeyRoutes;
import org.castellan.server.admin.RuleRoutes;
import org.castellan.server.admin.SessionRoutes;
import org.castellan.server.admin.UserRoutes;

/**
 * Fuzzes the server's request readers: {@link JsonBody#parse} into every body type a route or the
 * agent API reads, {@link ContentType#parse} and the query-string check. A reader may refuse only
 * with a 400 {@link ApiException} of a known code whose message repeats none of the input; what it
 * accepts must be strict UTF-8 without a byte-order mark, hold no lone surrogate, and write back as
 * JSON. Any other exception (which would be a 500) is a finding.
 */
class RequestBodyFuzzTest {
    private static final Class<?>[] TYPES = {RegistrationKeyRoutes.CreateRequest.class, SessionRoutes.Login.class,
            UserRoutes.CreateUser.class, UserRoutes.CreateToken.class, ChannelRoutes.Body.class, RuleRoutes.Body.class,
            UserGroupRoutes.CreateGroup.class, UserGroupRoutes.Members.class, PolicyUpdate.class,
            org.castellan.server.admin.DeviceGroupRoutes.Body.class,
            org.castellan.server.admin.DeviceGroupMemberRoutes.Change.class, RegisterRequest.class, CheckInRequest.class,
            EscrowRequest.class, RotationOutcome.class, RecoveryKeyEscrowRequest.class};
    private static final Set<String> CODES = Set.of("malformed-json", "unknown-field", "invalid-type", "byte-order-mark",
            "invalid-utf8");

    @FuzzTest(maxDuration = "10s")
    void readersRefuseWithA400OrReturnWhatWasSent(FuzzedDataProvider data) throws Exception {
        String contentType = data.consumeString(60);
        ContentType.parse(contentType).ifPresent(parsed -> assertThat(parsed.mediaType()).contains("/"));
        QueryStrings.wellFormed(data.consumeString(80));
        Class<?> type = TYPES[data.consumeInt(0, TYPES.length - 1)];
        byte[] body = data.consumeRemainingAsBytes();
        Object value;
        try {
            value = JsonBody.parse(body, type);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(CODES).contains(e.code());
            assertThat(TextRules.hasControlCharacters(e.getMessage())).isFalse();
            return;
        }
        String text;
        try {
            text = StrictUtf8.decode(body);
        } catch (CharacterCodingException e) {
            throw new AssertionError("accepted a body that is not strict UTF-8", e);
        }
        assertThat(text).doesNotStartWith("\ufeff");
        assertThat(StrictUtf8.wellFormedUtf16(Json.mapper().writeValueAsString(value)))
                .as("accepted a lone surrogate").isTrue();
    }
}
