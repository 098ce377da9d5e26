package org.castellan.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import org.castellan.server.CastellanServer;
import org.castellan.server.cli.ServerMain;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.TestServer;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} refuses to start over secret files that other users can read or write, or that
 * another user owns, naming each one and the command that fixes it. It used to start silently
 * with the vault keys, keystore password, anchor key, initial token and database world-readable.
 */
class DataDirModesTest {
    @TempDir
    Path dataDir;

    @BeforeEach
    void firstStart() throws Exception {
        TestServer.start(dataDir).close();
    }

    private static void chmod(Path path, String mode) throws Exception {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    private String serve() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            List<String> args = new java.util.ArrayList<>(List.of("serve", "--data", dataDir.toString(), "--listen",
                    "127.0.0.1:0"));
            args.addAll(OnPostgres.toolArguments(dataDir));
            assertThat(ServerMain.execute(args.toArray(String[]::new))).isEqualTo(1);
        } finally {
            System.setErr(original);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everySecretFileOpenToOthersIsNamedWithItsChmod() throws Exception {
        List<Path> secrets = new java.util.ArrayList<>(List.of(dataDir.resolve("initial-admin-token"),
                dataDir.resolve("tls/server.p12"), dataDir.resolve("tls/server.p12.password"),
                dataDir.resolve("vault/current"), dataDir.resolve("audit/anchor.key"), dataDir.resolve("audit/head")));
        if (!OnPostgres.active()) {
            secrets.add(dataDir.resolve("castellan.db")); // on PostgreSQL the database is not a file here
        }
        for (Path secret : secrets) {
            chmod(secret, "rw-r--r--");
        }
        try (var keys = Files.list(dataDir.resolve("vault"))) {
            keys.filter(p -> p.toString().endsWith(".key")).forEach(p -> {
                try {
                    chmod(p, "rw-rw-rw-");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
        chmod(dataDir, "rwxr-xr-x");
        chmod(dataDir.resolve("vault"), "rwxrwx---");

        String err = serve();
        for (Path secret : secrets) {
            assertThat(err).contains(secret + " is readable by group and others (mode 0644): chmod 600 " + secret);
        }
        assertThat(err).contains(dataDir + " is readable by group and others (mode 0755): chmod 700 " + dataDir)
                .contains(dataDir.resolve("vault") + " is readable and writable by group (mode 0770): chmod 700 "
                        + dataDir.resolve("vault"))
                .contains(".key is readable and writable by group and others (mode 0666)");
        assertThat(err).doesNotContain("Castellan server listening");
    }

    @Test
    void theServerStartsAgainOnceTheModesAreFixed() throws Exception {
        chmod(dataDir.resolve("vault/current"), "rw----r--");
        assertThatThrownBy(() -> CastellanServer.start(TestServer.config(dataDir, TestServer.GENEROUS)))
                .isInstanceOf(DataDirModes.NotPrivate.class)
                .hasMessageContaining("vault/current is readable by others (mode 0604): chmod 600");
        chmod(dataDir.resolve("vault/current"), "rw-------");
        CastellanServer.start(TestServer.config(dataDir, TestServer.GENEROUS)).close();
    }

    @Test
    void aSecretFileOwnedByAnotherUserIsNamedWithItsChown() throws Exception {
        Prerequisite.requireRoot("changing a file's owner to another user needs root");
        Path token = dataDir.resolve("tls/server.p12.password");
        UserPrincipal nobody = token.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(token, nobody);
        String me = System.getProperty("user.name");
        assertThat(serve()).contains(token + " is owned by nobody, not " + me + ": chown " + me + " " + token);
    }
}
