package org.castellan.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.castellan.server.testing.NoDatabase;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document is lint-clean under Redocly's CLI: its recommended rules, with the ones
 * issue 13 names made errors (an operationId and declared security on every operation, servers, a
 * license), and no warning either. Runs {@code npx -y @redocly/cli@VERSION lint}; without npx it
 * skips with how to install it (a failure under CI=true).
 */
@NoDatabase("no database, no server: the same on either backend")
class OpenApiLintTest {
    static final String REDOCLY = "@redocly/cli@2.77.0";

    @TempDir
    Path dir;

    @Test
    void theDocumentIsLintCleanUnderRedocly() throws Exception {
        Prerequisite.requireCommand("npx", "npm");
        Path document = dir.resolve("openapi.json");
        Files.write(document, OpenApiRoutes.document());
        Files.writeString(dir.resolve("redocly.yaml"), String.join("\n",
                "extends:",
                "  - recommended",
                "rules:",
                "  operation-operationId: error",
                "  security-defined: error",
                "  no-empty-servers: error",
                "  info-license: error",
                "  info-license-strict: error",
                ""));
        ProcessBuilder npx = new ProcessBuilder("npx", "-y", REDOCLY, "lint", "--format=stylish", document.toString())
                .directory(dir.toFile()).redirectErrorStream(true);
        npx.environment().put("REDOCLY_TELEMETRY", "off");
        npx.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        npx.environment().put("NO_COLOR", "1");
        Process process = npx.start();
        process.getOutputStream().close();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("redocly finished").isTrue();
        System.out.println("redocly lint: " + output);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).as("no problem at all, warnings included").contains("Your API description is valid")
                .doesNotContainPattern("You have \\d+ warning").doesNotContainPattern("[1-9]\\d* problems?");
    }
}
