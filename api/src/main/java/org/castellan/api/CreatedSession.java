package org.castellan.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import org.castellan.protocol.Secret;

/** {@code POST /api/v1/sessions}: a session token for name and password. */
public record CreatedSession(@JsonSerialize(using = SecretJson.Writer.class)
                             @JsonDeserialize(using = SecretJson.Reader.class) Secret token,
                             Instant expiresAt) {}
