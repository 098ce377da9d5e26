package org.castellan.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.List;
import org.castellan.protocol.Secret;

/** {@code POST /api/v1/registration-keys}: the key is in this answer once and only once. */
public record CreatedRegistrationKey(String id,
                                     @JsonSerialize(using = SecretJson.Writer.class)
                                     @JsonDeserialize(using = SecretJson.Reader.class) Secret key,
                                     String name, Integer maxUses, Instant expiresAt, boolean requireApproval,
                                     List<String> groups) {}
