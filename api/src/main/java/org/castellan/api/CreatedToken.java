package org.castellan.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import org.castellan.protocol.Secret;

/** {@code POST /api/v1/users/{id}/tokens}: the token is in this answer once and only once. */
public record CreatedToken(String id, String name,
                           @JsonSerialize(using = SecretJson.Writer.class)
                           @JsonDeserialize(using = SecretJson.Reader.class) Secret token,
                           Instant expiresAt) {}
