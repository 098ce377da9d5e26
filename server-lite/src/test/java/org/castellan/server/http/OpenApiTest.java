package org.castellan.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.castellan.protocol.Json;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiTest {
    @TempDir
    Path dataDir;

    @Test
    void everyRegisteredRouteIsDocumentedAndNothingElse() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            TestServer.Reply reply = server.getWithToken("/api/v1/openapi.json", null);
            assertThat(reply.status()).isEqualTo(200);
            JsonNode paths = Json.mapper().readTree(reply.body()).get("paths");
            // The web console's pages are HTML for browsers, not API: documented in docs/console.md.
            java.util.List<org.castellan.server.http.RouteTable.Route> api = server.server.routes().stream()
                    .filter(route -> !route.guard().startsWith("console")).toList();
            assertThat(api).isNotEmpty().allSatisfy(route ->
                    assertThat(paths.path(route.path()).has(route.method())).as(route.method() + " " + route.path()).isTrue());
            int documented = 0;
            for (JsonNode path : paths) {
                documented += path.size();
            }
            assertThat(documented).isEqualTo(api.size());
        }
    }
}
