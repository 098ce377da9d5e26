package org.castellan.server.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Admin-API shortcuts for setting up users, groups, rules and escrowed passwords in tests. */
public final class AdminApi {
    private final TestServer server;

    public AdminApi(TestServer server) {
        this.server = server;
    }

    public String user(String name, String password) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (password != null) {
            body.put("password", password);
        }
        return created(server.post("/api/v1/users", body)).json().get("id").asText();
    }

    public String token(String userId) throws IOException {
        return created(server.post("/api/v1/users/" + userId + "/tokens", Map.of("name", "test"))).json().get("token").asText();
    }

    public String session(String name, String password) throws IOException {
        return created(server.sendWithToken("POST", "/api/v1/sessions", Map.of("name", name, "password", password), null))
                .json().get("token").asText();
    }

    public String userGroup(String name, String... members) throws IOException {
        return created(server.post("/api/v1/user-groups", Map.of("name", name, "members", Arrays.asList(members))))
                .json().get("id").asText();
    }

    /** {@code match} may be null; {@code policy} may be null. */
    public String deviceGroup(String name, List<String> devices, Map<String, String> match, String policy) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("devices", devices);
        if (match != null) {
            body.put("match", match);
        }
        if (policy != null) {
            body.put("policy", policy);
        }
        return created(server.post("/api/v1/device-groups", body)).json().get("id").asText();
    }

    public String rule(Map<String, Object> body) throws IOException {
        Map<String, Object> full = new LinkedHashMap<>(body);
        full.putIfAbsent("name", "rule " + UUID.randomUUID());
        return created(server.post("/api/v1/rules", full)).json().get("id").asText();
    }

    public String channel(String url, String secret) throws IOException {
        return created(server.post("/api/v1/channels", Map.of("name", "hook", "type", "webhook", "url", url,
                "secret", secret))).json().get("id").asText();
    }

    /** Escrows and commits a password; returns the rotation id. */
    public static String escrowAndCommit(TestAgent agent, String account, String password) throws Exception {
        String rotationId = UUID.randomUUID().toString();
        TestServer.Reply escrow = agent.escrow(account, rotationId, password);
        if (escrow.status() != 201) {
            throw new AssertionError("escrow failed: " + escrow);
        }
        TestServer.Reply commit = agent.commit(rotationId);
        if (commit.status() != 200) {
            throw new AssertionError("commit failed: " + commit);
        }
        return rotationId;
    }

    /** Audit rows matching the query string (e.g. {@code principal=user:X&action=password.reveal}). */
    public List<com.fasterxml.jackson.databind.JsonNode> audit(String query) throws IOException {
        TestServer.Reply reply = server.get("/api/v1/audit?limit=1000&" + query);
        if (reply.status() != 200) {
            throw new AssertionError("audit query failed: " + reply);
        }
        List<com.fasterxml.jackson.databind.JsonNode> out = new ArrayList<>();
        reply.json().forEach(out::add);
        return out;
    }

    private static TestServer.Reply created(TestServer.Reply reply) {
        if (reply.status() != 201) {
            throw new AssertionError("expected 201, got " + reply);
        }
        return reply;
    }
}
