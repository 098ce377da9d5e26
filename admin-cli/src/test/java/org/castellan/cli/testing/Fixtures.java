package org.castellan.cli.testing;

import java.nio.file.Path;

/** Recorded server answers shared by tests. */
public final class Fixtures {
    public static final String TOKEN = "cst_T0ken-sup3r-s3cret-value";

    private Fixtures() {}

    public static String device(String id, String hostname) {
        return "{\"id\":\"" + id + "\",\"hostname\":\"" + hostname + "\",\"status\":\"active\",\"os\":\"linux\",\"osVersion\":\"6.1\","
                + "\"agentVersion\":\"0.1.0\",\"account\":\"root\",\"registeredAt\":\"2026-11-01T08:00:00Z\","
                + "\"lastSeenAt\":\"2026-11-22T09:55:00Z\",\"passwordRotatedAt\":\"2026-11-20T08:00:00Z\","
                + "\"pendingRotation\":false,\"warnings\":[],\"someFutureField\":{\"x\":1}}";
    }

    /** A runner pointed at {@code server} through the environment, pinned to its certificate. */
    public static CliRunner runnerFor(RecordingHttpsServer server, Path home) {
        return new CliRunner(home)
                .env("CASTELLAN_SERVER", server.url())
                .env("CASTELLAN_SERVER_FINGERPRINT", server.fingerprint())
                .env("CASTELLAN_TOKEN", TOKEN)
                .secret(TOKEN);
    }
}
