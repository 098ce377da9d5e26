package org.castellan.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.castellan.protocol.Json;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiTest {
    @TempDir
    Path dataDir;

    /** Routes that are not API: the console's HTML pages (docs/console.md) and the API documentation page itself. */
    static boolean isApi(RouteTable.Route route) {
        return !route.guard().startsWith("console") && !route.path().startsWith("/api/docs");
    }

    @Test
    void everyRegisteredRouteIsDocumentedAndNothingElse() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            TestServer.Reply reply = server.getWithToken("/api/v1/openapi.json", null);
            assertThat(reply.status()).isEqualTo(200);
            JsonNode paths = Json.mapper().readTree(reply.body()).get("paths");
            List<RouteTable.Route> api = server.server.routes().stream().filter(OpenApiTest::isApi).toList();
            assertThat(api).isNotEmpty().allSatisfy(route ->
                    assertThat(paths.path(route.path()).has(route.method())).as(route.method() + " " + route.path()).isTrue());
            int documented = 0;
            for (JsonNode path : paths) {
                documented += path.size();
            }
            assertThat(documented).isEqualTo(api.size());
        }
    }

    /** The lists that page with {@link Paging} say so: {@code limit}, {@code after} and the {@code X-Next-Cursor} header. */
    @Test
    void everyPagedListDocumentsItsPageSizeCursorAndNextCursorHeader() throws Exception {
        JsonNode paths = Json.mapper().readTree(OpenApiRoutes.document()).path("paths");
        for (String path : List.of("/api/v1/devices", "/api/v1/users", "/api/v1/users/{id}/tokens", "/api/v1/user-groups",
                "/api/v1/device-groups", "/api/v1/device-groups/{id}/members", "/api/v1/rules", "/api/v1/channels", "/api/v1/jit",
                "/api/v1/registration-keys")) {
            JsonNode get = paths.path(path).path("get");
            Set<String> parameters = new HashSet<>();
            get.path("parameters").forEach(p -> parameters.add(p.path("name").asText()));
            assertThat(parameters).as(path).contains("limit", "after");
            get.path("parameters").forEach(p -> {
                if (p.path("name").asText().equals("limit")) {
                    assertThat(p.path("schema").path("maximum").asInt()).as(path + " limit").isEqualTo(1000);
                }
            });
            assertThat(get.path("responses").path("200").path("headers").has(Paging.NEXT_CURSOR)).as(path).isTrue();
        }
    }

    /** What Redocly's lint also asks (OpenApiLintTest), checked without Node: the document cannot drift from it unseen. */
    @Test
    void everyOperationHasAUniqueOperationIdAndDeclaresItsSecurity() throws Exception {
        JsonNode doc = Json.mapper().readTree(OpenApiRoutes.document());
        assertThat(doc.path("info").path("license").path("name").asText()).isNotBlank();
        assertThat(doc.path("servers").isArray() && doc.path("servers").size() > 0).as("servers").isTrue();
        Set<String> ids = new HashSet<>();
        Set<String> schemes = new HashSet<>();
        doc.path("components").path("securitySchemes").fieldNames().forEachRemaining(schemes::add);
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String where = op.getKey() + " " + path.getKey();
            JsonNode operation = op.getValue();
            assertThat(operation.path("operationId").asText()).as("operationId of " + where).matches("[a-z][A-Za-z]+");
            assertThat(ids.add(operation.path("operationId").asText())).as("unique operationId of " + where).isTrue();
            assertThat(operation.path("security").isArray()).as("security of " + where).isTrue();
            operation.path("security").forEach(requirement -> requirement.fieldNames().forEachRemaining(name ->
                    assertThat(schemes).as("scheme of " + where).contains(name)));
        }));
    }
}
