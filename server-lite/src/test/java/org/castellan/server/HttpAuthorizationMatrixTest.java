package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.castellan.server.access.Permission;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every permission × rule situation × way of being the principal, through the real HTTP API: an
 * endpoint allows exactly what the rules grant, a rule on one group gives nothing on a device of
 * another (no IDOR), and every denial is audited. One server and one data set for the class.
 */
class HttpAuthorizationMatrixTest {
    enum Scenario { NO_RULE, RULE_ON_DEVICE, RULE_ON_ITS_GROUP, RULE_ON_OTHER_GROUP, EXPIRED_RULE, DISABLED_DEVICE }

    enum Caller { USER_TOKEN, GROUP_MEMBER_TOKEN, USER_SESSION_TOKEN }

    /** The permissions with an endpoint here; recovery-key.read is tested with recovery keys. */
    static final List<Permission> PERMISSIONS = List.of(Permission.PASSWORD_READ, Permission.PASSWORD_HISTORY,
            Permission.RECOVERY_KEY_READ, Permission.DEVICE_ROTATE, Permission.DEVICE_MANAGE);

    record Who(String userId, String token) {}

    @TempDir
    static Path dataDir;
    static TestServer server;
    static AdminApi admin;
    static TestClock clock = TestClock.now();
    static String deviceInA;
    static String deviceInB;
    static String disabledDevice;
    static final Map<Permission, Map<Scenario, Map<Caller, Who>>> callers = new EnumMap<>(Permission.class);

    @BeforeAll
    static void setUp() throws Exception {
        server = TestServer.start(dataDir, TestServer.GENEROUS, clock, DispatcherSettings.defaults());
        admin = new AdminApi(server);
        deviceInA = escrowedDevice();
        deviceInB = escrowedDevice();
        disabledDevice = escrowedDevice();
        String groupA = admin.deviceGroup("group-a", List.of(deviceInA), null, null);
        String groupB = admin.deviceGroup("group-b", List.of(deviceInB), null, null);
        int n = 0;
        for (Permission permission : PERMISSIONS) {
            Map<Scenario, Map<Caller, Who>> byScenario = new EnumMap<>(Scenario.class);
            for (Scenario scenario : Scenario.values()) {
                n++;
                String password = "Matrix-password-" + n;
                String user = admin.user("user" + n, password);
                String member = admin.user("member" + n, null);
                String userGroup = admin.userGroup("team" + n, member);
                String target = switch (scenario) {
                    case NO_RULE -> null;
                    case RULE_ON_DEVICE, EXPIRED_RULE -> "device:" + deviceInA;
                    case RULE_ON_ITS_GROUP -> "device-group:" + groupA;
                    case RULE_ON_OTHER_GROUP -> "device-group:" + groupB;
                    case DISABLED_DEVICE -> "device:" + disabledDevice;
                };
                if (target != null) {
                    Map<String, Object> rule = new LinkedHashMap<>();
                    rule.put("principals", List.of("user:" + user, "user-group:" + userGroup));
                    rule.put("targets", List.of(target));
                    rule.put("permissions", List.of(permission.wireName()));
                    if (scenario == Scenario.EXPIRED_RULE) {
                        rule.put("expiresAt", clock.instant().plus(Duration.ofMinutes(1)).toString());
                    }
                    admin.rule(rule);
                }
                Map<Caller, Who> who = new EnumMap<>(Caller.class);
                who.put(Caller.USER_TOKEN, new Who(user, admin.token(user)));
                who.put(Caller.GROUP_MEMBER_TOKEN, new Who(member, admin.token(member)));
                who.put(Caller.USER_SESSION_TOKEN, new Who(user, admin.session("user" + n, password)));
                byScenario.put(scenario, who);
            }
            callers.put(permission, byScenario);
        }
        assertThat(server.post("/api/v1/devices/" + disabledDevice + "/disable", "{}").status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(2)); // the expiring rules are now past their expiresAt
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    private static String escrowedDevice() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        agent.clock = clock;
        AdminApi.escrowAndCommit(agent, "root", "Secret-" + UUID.randomUUID());
        return agent.deviceId;
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Permission p : PERMISSIONS) {
            for (Scenario s : Scenario.values()) {
                for (Caller c : Caller.values()) {
                    out.add(Arguments.of(p, s, c));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} as {2}")
    @MethodSource("matrix")
    void endpointAllowsExactlyWhatTheRulesGrant(Permission permission, Scenario scenario, Caller caller) throws Exception {
        Who who = callers.get(permission).get(scenario).get(caller);
        String device = scenario == Scenario.DISABLED_DEVICE ? disabledDevice : deviceInA;
        boolean granted = scenario == Scenario.RULE_ON_DEVICE || scenario == Scenario.RULE_ON_ITS_GROUP
                || (scenario == Scenario.DISABLED_DEVICE && !permission.revealsSecret());

        TestServer.Reply reply = call(permission, device, who.token());
        if (granted) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(successStatus(permission));
        } else if (scenario == Scenario.DISABLED_DEVICE) {
            assertThat(reply.status()).isEqualTo(409);
            assertThat(reply.error()).isEqualTo("device-disabled");
            assertDeniedIsAudited(who, permission, device);
        } else {
            assertThat(reply.status()).as(reply.body()).isEqualTo(403);
            assertThat(reply.error()).isEqualTo("forbidden");
            assertDeniedIsAudited(who, permission, device);
        }
        if (granted && scenario != Scenario.DISABLED_DEVICE) {
            // The same caller addressing a device of another group by its id: nothing.
            TestServer.Reply other = call(permission, deviceInB, who.token());
            assertThat(other.status()).isEqualTo(403);
            assertDeniedIsAudited(who, permission, deviceInB);
        }
    }

    @Test
    void unknownDeviceIdAnswersNonAdminsLikeAForbiddenOneAndAdminsWithNotFound() throws Exception {
        Who who = callers.get(Permission.PASSWORD_READ).get(Scenario.RULE_ON_ITS_GROUP).get(Caller.USER_TOKEN);
        String unknown = UUID.randomUUID().toString();
        TestServer.Reply reply = call(Permission.PASSWORD_READ, unknown, who.token());
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error()).isEqualTo("forbidden");
        assertThat(call(Permission.PASSWORD_READ, unknown, server.adminToken).status()).isEqualTo(404);
    }

    @Test
    void deviceListShowsOnlyDevicesTheCallerHasAPermissionOn() throws Exception {
        Who who = callers.get(Permission.PASSWORD_READ).get(Scenario.RULE_ON_ITS_GROUP).get(Caller.GROUP_MEMBER_TOKEN);
        TestServer.Reply list = server.getWithToken("/api/v1/devices", who.token());
        assertThat(list.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        list.json().forEach(d -> ids.add(d.get("id").asText()));
        assertThat(ids).containsExactly(deviceInA);
        assertThat(server.getWithToken("/api/v1/devices/" + deviceInB, who.token()).status()).isEqualTo(403);
        assertThat(server.getWithToken("/api/v1/devices/" + deviceInA, who.token()).json().get("groups")).hasSize(1);
    }

    @Test
    void effectiveAccessEndpointNamesTheGrantingRuleForAGroupMember() throws Exception {
        Who member = callers.get(Permission.PASSWORD_HISTORY).get(Scenario.RULE_ON_ITS_GROUP).get(Caller.GROUP_MEMBER_TOKEN);
        TestServer.Reply reply = server.get("/api/v1/access?principal=user:" + member.userId() + "&device=" + deviceInA);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("permissions").toString()).isEqualTo("[\"password.history\"]");
        assertThat(reply.json().get("rules")).hasSize(1);
        TestServer.Reply onB = server.get("/api/v1/access?principal=user:" + member.userId() + "&device=" + deviceInB);
        assertThat(onB.json().get("permissions")).isEmpty();
    }

    @Test
    void adminOnlyEndpointsRefuseNonAdmins() throws Exception {
        Who who = callers.get(Permission.DEVICE_MANAGE).get(Scenario.RULE_ON_DEVICE).get(Caller.USER_TOKEN);
        for (String path : List.of("/api/v1/users", "/api/v1/rules", "/api/v1/audit", "/api/v1/registration-keys",
                "/api/v1/device-groups", "/api/v1/user-groups", "/api/v1/channels", "/api/v1/policies/default")) {
            assertThat(server.getWithToken(path, who.token()).status()).as(path).isEqualTo(403);
        }
        assertThat(server.sendWithToken("POST", "/api/v1/rules", Map.of("name", "self-grant",
                "principals", List.of("user:" + who.userId()), "targets", List.of("all"),
                "permissions", List.of("password.read")), who.token()).status()).isEqualTo(403);
    }

    private static int successStatus(Permission permission) {
        return permission == Permission.DEVICE_ROTATE ? 202 : permission == Permission.DEVICE_JIT ? 201 : 200;
    }

    private static TestServer.Reply call(Permission permission, String deviceId, String token) throws Exception {
        String base = "/api/v1/devices/" + deviceId;
        return switch (permission) {
            case PASSWORD_READ -> server.getWithToken(base + "/password", token);
            case PASSWORD_HISTORY -> server.getWithToken(base + "/password/history", token);
            case DEVICE_ROTATE -> server.sendWithToken("POST", base + "/rotate", "{}", token);
            case DEVICE_MANAGE -> server.sendWithToken("POST", base + "/approve", "{}", token);
            case RECOVERY_KEY_READ -> server.getWithToken(base + "/recovery-keys", token);
            case DEVICE_JIT -> server.sendWithToken("POST", base + "/jit", Map.of("user", "matrix", "minutes", 5), token);
        };
    }

    private static final Map<Permission, String> ACTIONS = new HashMap<>(Map.of(
            Permission.PASSWORD_READ, "password.reveal", Permission.PASSWORD_HISTORY, "password.history",
            Permission.DEVICE_ROTATE, "device.rotate-request", Permission.DEVICE_MANAGE, "device.approve",
            Permission.RECOVERY_KEY_READ, "recovery-key.reveal", Permission.DEVICE_JIT, "jit.request"));

    private static void assertDeniedIsAudited(Who who, Permission permission, String device) throws Exception {
        assertThat(admin.audit("principal=user:" + who.userId() + "&action=" + ACTIONS.get(permission)
                + "&device=" + device + "&outcome=denied"))
                .isNotEmpty()
                .allSatisfy(row -> assertThat(row.get("clientAddress").asText()).isNotEmpty());
    }
}
