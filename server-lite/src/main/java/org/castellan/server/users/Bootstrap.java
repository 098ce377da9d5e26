package org.castellan.server.users;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.castellan.server.db.Database;
import org.castellan.server.files.SecureFiles;

/**
 * First start: the {@code admin} user and its API token. The token goes to
 * {@code DIR/initial-admin-token} (0600) and is returned once for printing; only its hash is stored.
 */
public final class Bootstrap {
    public static final String TOKEN_FILE = "initial-admin-token";

    private Bootstrap() {}

    /** @return the new token on first start, empty afterwards */
    public static Optional<String> createAdminIfFirstStart(Database db, UserStore users, Path dataDir,
                                                           SecureRandom random, Clock clock) throws IOException {
        if (db.read(users::countUsers) > 0) {
            return Optional.empty();
        }
        String token = Tokens.newSecret(Tokens.API_TOKEN_PREFIX, random);
        Path tokenFile = dataDir.resolve(TOKEN_FILE);
        Files.deleteIfExists(tokenFile); // left over from a start that failed before the user was stored
        SecureFiles.writeNew(tokenFile, (token + "\n").getBytes(StandardCharsets.US_ASCII));
        Instant now = clock.instant();
        String userId = Tokens.newId();
        db.write(c -> {
            users.insertUser(c, userId, "admin", true, now);
            users.insertToken(c, Tokens.newId(), userId, "initial-admin-token", Tokens.hash(token), now, null);
            return null;
        });
        return Optional.of(token);
    }
}
