package org.castellan.cli.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A recording HTTPS server and a CLI pointed at it, per test; plus JSON helpers for assertions. */
public abstract class ServerTestBase {
    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final String NL = System.lineSeparator();

    @TempDir
    protected Path home;

    protected RecordingHttpsServer server;
    protected CliRunner cli;

    @BeforeEach
    void startServer() {
        server = new RecordingHttpsServer();
        cli = Fixtures.runnerFor(server, home);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Parses JSON written with single quotes for readability. */
    protected static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static JsonNode parsed(String text) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
