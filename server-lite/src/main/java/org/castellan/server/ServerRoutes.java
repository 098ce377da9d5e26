package org.castellan.server;

import org.castellan.server.config.ConsoleSettings;

import static org.castellan.server.audit.AuditActions.DEVICE_APPROVE;
import static org.castellan.server.audit.AuditActions.DEVICE_DELETE;
import static org.castellan.server.audit.AuditActions.DEVICE_DISABLE;
import static org.castellan.server.audit.AuditActions.DEVICE_ENABLE;
import static org.castellan.server.audit.AuditActions.DEVICE_ROTATE_REQUEST;
import static org.castellan.server.audit.AuditActions.JIT_APPROVE;
import static org.castellan.server.audit.AuditActions.JIT_REQUEST;
import static org.castellan.server.audit.AuditActions.JIT_REVOKE;
import static org.castellan.server.audit.AuditActions.PASSWORD_HISTORY;
import static org.castellan.server.audit.AuditActions.PASSWORD_REVEAL;
import static org.castellan.server.audit.AuditActions.RECOVERY_KEY_REVEAL;

import io.javalin.http.Handler;
import java.util.Map;
import org.castellan.protocol.AgentPaths;
import org.castellan.server.access.Permission;
import org.castellan.server.audit.ChainWatch;
import org.castellan.server.admin.AccessRoutes;
import org.castellan.server.admin.AuditRoutes;
import org.castellan.server.admin.ChannelRoutes;
import org.castellan.server.admin.DeviceGroupMemberRoutes;
import org.castellan.server.admin.DeviceGroupRoutes;
import org.castellan.server.admin.DeviceRoutes;
import org.castellan.server.admin.JitRoutes;
import org.castellan.server.admin.PasswordLogin;
import org.castellan.server.admin.PasswordRoutes;
import org.castellan.server.admin.PolicyRoutes;
import org.castellan.server.admin.RecoveryKeyRoutes;
import org.castellan.server.admin.RegistrationKeyRoutes;
import org.castellan.server.admin.RuleRoutes;
import org.castellan.server.admin.SecondFactorRoutes;
import org.castellan.server.admin.SessionRoutes;
import org.castellan.server.admin.UserGroupRoutes;
import org.castellan.server.admin.UserRoutes;
import org.castellan.server.agent.CheckInHandler;
import org.castellan.server.agent.LuksKeyHandlers;
import org.castellan.server.agent.RecoveryKeyEscrowHandler;
import org.castellan.server.agent.RegisterHandler;
import org.castellan.server.agent.RotationHandlers;
import org.castellan.server.guard.AccessDecision;
import org.castellan.server.guard.ConsoleGuard;
import org.castellan.server.guard.ConsoleSessions;
import org.castellan.server.guard.Routes;
import org.castellan.server.http.Metrics;
import org.castellan.server.http.OpenApiRoutes;
import org.castellan.server.http.Responses;
import org.castellan.server.jit.SqlJitStore;
import org.castellan.server.ratelimit.RateLimitSettings;
import org.castellan.server.recovery.RecoveryKeyOpener;
import org.castellan.server.recovery.RecoveryKeyStore;
import org.castellan.server.recovery.SqlRecoveryKeyStore;
import org.castellan.server.rotation.PasswordOpener;
import org.castellan.server.users.PasswordHasher;
import org.castellan.server.users.SqlTotpStore;
import org.castellan.server.users.TotpSeeds;
import org.castellan.server.web.AccessPages;
import org.castellan.server.web.ApiDocs;
import org.castellan.server.web.AdminConsole;
import org.castellan.server.web.Assets;
import org.castellan.server.web.AuditPages;
import org.castellan.server.web.ReportPages;
import org.castellan.server.admin.ReportRoutes;
import org.castellan.server.reports.FleetReports;
import org.castellan.server.web.DevicePages;
import org.castellan.server.web.HistoryPages;
import org.castellan.server.web.RecoveryKeyPages;
import org.castellan.server.web.StepUpPages;
import org.castellan.server.web.SignInPages;
import org.castellan.server.web.SsoPages;
import org.castellan.server.sso.OidcClient;
import org.castellan.server.sso.SqlSsoStore;

/**
 * Every route the server serves, with the guard it is registered with: who may call what is
 * read here, top to bottom. {@link #register} is the table; the constructor builds the handlers.
 * A route cannot be added without naming its guard ({@link Routes}), and {@code RouteGuardTest}
 * fails on any route Javalin serves that has none.
 */
final class ServerRoutes {
    private final Metrics metrics;
    private final CheckInHandler checkIn;
    private final RegisterHandler register;
    private final RotationHandlers rotations;
    private final RecoveryKeyEscrowHandler recoveryKeyEscrow;
    private final LuksKeyHandlers luksKeys;
    private final RegistrationKeyRoutes registrationKeys;
    private final DeviceRoutes devices;
    private final PasswordRoutes passwords;
    private final RecoveryKeyRoutes recoveryKeys;
    private final PolicyRoutes policies;
    private final AuditRoutes audit;
    private final UserRoutes users;
    private final SessionRoutes sessions;
    private final UserGroupRoutes userGroups;
    private final DeviceGroupRoutes deviceGroups;
    private final DeviceGroupMemberRoutes deviceGroupMembers;
    private final RuleRoutes rules;
    private final AccessRoutes access;
    private final ChannelRoutes channels;
    private final ChainWatch chain;
    private final org.castellan.server.db.Database db;
    private final JitRoutes jit;
    private final Assets assets;
    private final SignInPages signIn;
    private final DevicePages devicePages;
    private final SsoPages sso;
    private final HistoryPages historyPages;
    private final RecoveryKeyPages recoveryKeyPages;
    private final StepUpPages stepUp;
    private final SecondFactorRoutes secondFactors;
    private final ReportRoutes reports;
    private final AuditPages auditPages;
    private final AccessPages accessPages;
    private final ReportPages reportPages;
    private final ApiDocs apiDocs;
    private final AdminConsole adminPages;

    ServerRoutes(ServerContext s, RateLimitSettings limits, Metrics metrics, AccessDecision decisions,
                 ChainWatch chain, ConsoleSessions consoleSessions, ConsoleSettings console,
                 java.time.Duration deletedRetention) {
        this.chain = chain;
        this.db = s.db();
        PasswordHasher hasher = new PasswordHasher();
        RecoveryKeyStore recoveryKeyStore = new SqlRecoveryKeyStore();
        RecoveryKeyOpener recoveryKeyOpener = new RecoveryKeyOpener(s.vault());
        this.metrics = metrics;
        SqlJitStore jitStore = new SqlJitStore();
        checkIn = new CheckInHandler(s.db(), s.devices(), s.rotations(), recoveryKeyStore, s.policyLookup(), s.vault(),
                s.clock(), jitStore, s.outbox());
        jit = new JitRoutes(s.db(), jitStore, s.devices(), decisions, s.clock());
        register = new RegisterHandler(s.registrationKeys(), s.devices(), s.policyLookup(), s.deviceGroups(),
                limits.registrationLimiter(s.clock(), s.db()), s.vault(), s.clock());
        rotations = new RotationHandlers(s.rotations(), s.policyLookup(), s.vault(), s.db().dialect(), metrics,
                s.clock());
        recoveryKeyEscrow = new RecoveryKeyEscrowHandler(recoveryKeyStore, recoveryKeyOpener, s.db().dialect(), s.clock());
        luksKeys = new LuksKeyHandlers(recoveryKeyStore, recoveryKeyOpener, s.db().dialect(), s.clock());
        registrationKeys = new RegistrationKeyRoutes(s.db(), s.registrationKeys(), s.deviceGroups(), s.clock(),
                s.random());
        devices = new DeviceRoutes(s.db(), s.devices(), s.rotations(), s.deviceGroups(), decisions, deletedRetention,
                s.clock(), limits.revealLimiter(s.clock()));
        passwords = new PasswordRoutes(s.rotations(), new PasswordOpener(s.vault()), s.clock());
        recoveryKeys = new RecoveryKeyRoutes(s.db(), s.devices(), recoveryKeyStore, recoveryKeyOpener, s.clock());
        policies = new PolicyRoutes(s.db(), s.policies(), s.deviceGroups(), s.clock());
        audit = new AuditRoutes(s.db(), s.audit(), s.devices());
        users = new UserRoutes(s.db(), s.users(), hasher, s.clock(), s.random());
        // One lockout for the API's sessions and the console's sign-in: failures count across both.
        PasswordLogin login = new PasswordLogin(s.db(), s.users(), hasher, limits.loginLockout(s.clock(), s.db()));
        sessions = new SessionRoutes(s.users(), login, s.clock(), s.random());
        userGroups = new UserGroupRoutes(s.db(), s.userGroups(), s.users(), s.clock());
        deviceGroups = new DeviceGroupRoutes(s.db(), s.deviceGroups(), s.devices(), s.policies(), s.clock(),
                s.groupMatchFill());
        deviceGroupMembers = new DeviceGroupMemberRoutes(s.db(), s.deviceGroups(), s.devices(), s.policies());
        rules = new RuleRoutes(s.db(), s.rules(), s.channels(), s.users(), s.userGroups(), s.devices(),
                s.deviceGroups(), s.clock());
        access = new AccessRoutes(s.db(), s.devices(), s.users(), s.userGroups(), decisions);
        channels = new ChannelRoutes(s.db(), s.channels(), s.clock());
        assets = new Assets();
        sso = new SsoPages(console.oidc() == null ? null : new OidcClient(console.oidc()), new SqlSsoStore(), s.users(),
                consoleSessions, s.db(), s.clock(), s.random());
        signIn = new SignInPages(login, consoleSessions, new SqlTotpStore(), new TotpSeeds(s.vault()), s.db(),
                s.clock(), s.random(), sso.configured());
        devicePages = new DevicePages(devices, passwords, recoveryKeys, s.clock(), console.hideSecretsAfter());
        historyPages = new HistoryPages(passwords, console.hideSecretsAfter());
        recoveryKeyPages = new RecoveryKeyPages(recoveryKeys, console.hideSecretsAfter());
        SqlTotpStore totps = new SqlTotpStore();
        stepUp = StepUpPages.of(login.lockout(), totps, new TotpSeeds(s.vault()), s.db(), consoleSessions, s.clock(),
                sso.configured());
        secondFactors = new SecondFactorRoutes(s.users(), totps, new org.castellan.server.users.SqlWebSessionStore(),
                s.clock());
        reports = new ReportRoutes(s.db(), new FleetReports(), decisions, s.clock());
        auditPages = new AuditPages(s.db(), s.audit(), s.devices(), s.users(), access,
                chain == null ? null : chain::status);
        accessPages = new AccessPages(access);
        reportPages = new ReportPages(reports, s.clock());
        apiDocs = new ApiDocs();
        adminPages = new AdminConsole(new AdminConsole.Api(rules, users, userGroups, deviceGroups, deviceGroupMembers, registrationKeys,
                devices, channels, jit, secondFactors), new AdminConsole.Stores(s.db(), s.users(), s.userGroups(),
                s.devices(), s.deviceGroups(), s.channels(), new SqlTotpStore()), s.clock(), deletedRetention);
    }

    /**
     * Liveness plus detail: a broken audit chain makes the status "degraded" (the server still serves);
     * on a shared database (PostgreSQL), one that cannot be reached answers 503.
     */
    private Map<String, Object> health() {
        if (db.shared()) {
            // A node whose database cannot be reached answers 503 (database-unavailable, from the error
            // mapping) so a load balancer sends no one here; on the embedded database the file is this process's.
            db.read(c -> {
                try (java.sql.Statement probe = c.createStatement()) {
                    probe.setQueryTimeout(2);
                    return probe.execute("SELECT 1");
                }
            });
        }
        if (chain == null) {
            return Map.of("status", "ok");
        }
        ChainWatch.Status status = chain.status();
        return Map.of("status", status.broken() ? "degraded" : "ok", "audit", status.asMap());
    }

    void register(Routes routes) {
        Handler openApi = OpenApiRoutes.handler();
        routes.open()
                .get("/healthz", (ctx, visitor) -> Responses.ok(ctx, health()))
                .get("/metrics", (ctx, visitor) -> metrics.serve(ctx))
                .get(OpenApiRoutes.PATH, (ctx, visitor) -> openApi.handle(ctx))
                .post("/api/v1/sessions", sessions::login);
        // The API documentation (swagger-ui, every asset from its jar), HTML for browsers: not itself in the document.
        routes.open()
                .get(ApiDocs.PATH, apiDocs::page)
                .get(ApiDocs.PATH + "/{file}", apiDocs::asset);

        // The web console (HTML; session cookie; CSRF token on every POST).
        routes.consoleOpen()
                .get("/assets/console.css", assets::serve)
                .get("/assets/console.js", assets::serve)
                .get("/assets/favicon.svg", assets::serve)
                .get(ConsoleGuard.SIGN_IN_PATH, signIn::form)
                .post(ConsoleGuard.SIGN_IN_PATH, signIn::signIn)
                .get(ConsoleGuard.SIGN_IN_PATH + "/sso", sso::start)
                .get(ConsoleGuard.SIGN_IN_PATH + "/sso/callback", sso::callback);
        routes.consoleSecondFactor()
                .get(ConsoleGuard.SIGN_IN_PATH + "/second-factor", signIn::secondFactorForm)
                .post(ConsoleGuard.SIGN_IN_PATH + "/second-factor", signIn::secondFactor);
        routes.console()
                .get("/", devicePages::search)
                .get("/devices/{id}", devicePages::device)
                .post("/sign-out", signIn::signOut)
                .get("/recovery-keys", recoveryKeyPages::form)
                .post("/step-up", stepUp::confirm);
        // Reports: every signed-in user, over the devices their rules reach (as the API's).
        routes.console()
                .get("/reports", reportPages::index)
                .get("/reports/stale-devices", reportPages::staleDevices)
                .get("/reports/overdue-rotations", reportPages::overdueRotations)
                .get("/reports/failing-rotations", reportPages::failingRotations)
                .get("/reports/read-not-rotated", reportPages::readNotRotated)
                .get("/reports/unprotected-volumes", reportPages::unprotectedVolumes)
                .get("/reports/agent-versions", reportPages::agentVersions)
                .get("/reports/os-versions", reportPages::osVersions);
        // The audit trail and effective access: admins only, as GET /api/v1/audit and /api/v1/access.
        routes.consoleAdmin()
                .get("/audit", auditPages::trail)
                .get("/audit/export.csv", auditPages::exportCsv)
                .get("/audit/export.json", auditPages::exportJson)
                .get("/access", accessPages::access);
        routes.consolePermission(Permission.PASSWORD_READ, PASSWORD_REVEAL)
                .post("/devices/{id}/password", devicePages::revealPassword);
        routes.consolePermission(Permission.RECOVERY_KEY_READ, RECOVERY_KEY_REVEAL)
                .post("/devices/{id}/recovery-keys", devicePages::revealRecoveryKeys);
        routes.consolePermission(Permission.DEVICE_ROTATE, DEVICE_ROTATE_REQUEST)
                .post("/devices/{id}/rotate", devicePages::rotate);
        routes.consolePermission(Permission.PASSWORD_HISTORY, PASSWORD_HISTORY)
                .post("/devices/{id}/password/history", historyPages::history);
        routes.consolePermissionOnFoundDevices(Permission.RECOVERY_KEY_READ, RECOVERY_KEY_REVEAL)
                .post("/recovery-keys", recoveryKeyPages::lookUp);
        registerAdminPages(routes);

        routes.registration()
                .post(AgentPaths.REGISTER, register);
        routes.agent()
                .post(AgentPaths.CHECK_IN, checkIn::handle)
                .post(AgentPaths.ROTATIONS, rotations::escrow)
                .post(AgentPaths.ROTATION_COMMIT, rotations::commit)
                .post(AgentPaths.ROTATION_ABORT, rotations::abort)
                .post(AgentPaths.RECOVERY_KEYS, recoveryKeyEscrow::handle)
                .post(AgentPaths.LUKS_KEYS, luksKeys::escrow)
                .post(AgentPaths.LUKS_KEY_COMMIT, luksKeys::commit)
                .post(AgentPaths.LUKS_KEY_RETIRE, luksKeys::retire);

        routes.authenticated()
                .get("/api/v1/devices", devices::list)
                .get("/api/v1/devices/{id}", devices::get)
                .get("/api/v1/users/{id}/tokens", users::listTokens)
                .post("/api/v1/tokens/{id}/revoke", users::revokeToken)
                .get("/api/v1/jit", jit::list);
        routes.authenticated()
                .get("/api/v1/reports/stale-devices", reports::staleDevices)
                .get("/api/v1/reports/overdue-rotations", reports::overdueRotations)
                .get("/api/v1/reports/failing-rotations", reports::failingRotations)
                .get("/api/v1/reports/read-not-rotated", reports::readNotRotated)
                .get("/api/v1/reports/unprotected-volumes", reports::unprotectedVolumes)
                .get("/api/v1/reports/agent-versions", reports::agentVersions)
                .get("/api/v1/reports/os-versions", reports::osVersions);
        routes.permission(Permission.PASSWORD_READ, PASSWORD_REVEAL)
                .get("/api/v1/devices/{id}/password", passwords::reveal);
        routes.permission(Permission.PASSWORD_HISTORY, PASSWORD_HISTORY)
                .get("/api/v1/devices/{id}/password/history", passwords::history);
        routes.permission(Permission.RECOVERY_KEY_READ, RECOVERY_KEY_REVEAL)
                .get("/api/v1/devices/{id}/recovery-keys", recoveryKeys::byDevice);
        routes.permissionOnFoundDevices(Permission.RECOVERY_KEY_READ, RECOVERY_KEY_REVEAL)
                .get("/api/v1/recovery-keys", recoveryKeys::byKeyId);
        routes.permission(Permission.DEVICE_ROTATE, DEVICE_ROTATE_REQUEST)
                .post("/api/v1/devices/{id}/rotate", devices::requestRotation);
        routes.permission(Permission.DEVICE_JIT, JIT_REQUEST).post("/api/v1/devices/{id}/jit", jit::request);
        routes.permission(Permission.DEVICE_JIT, JIT_APPROVE)
                .post("/api/v1/devices/{id}/jit/{grantId}/approve", jit::approve);
        routes.permission(Permission.DEVICE_JIT, JIT_REVOKE)
                .post("/api/v1/devices/{id}/jit/{grantId}/revoke", jit::revoke);
        routes.permission(Permission.DEVICE_MANAGE, DEVICE_APPROVE).post("/api/v1/devices/{id}/approve", devices::approve);
        routes.permission(Permission.DEVICE_MANAGE, DEVICE_DISABLE).post("/api/v1/devices/{id}/disable", devices::disable);
        routes.permission(Permission.DEVICE_MANAGE, DEVICE_ENABLE).post("/api/v1/devices/{id}/enable", devices::enable);
        routes.permission(Permission.DEVICE_MANAGE, DEVICE_DELETE).delete("/api/v1/devices/{id}", devices::delete);

        routes.admin()
                .post("/api/v1/registration-keys", registrationKeys::create)
                .get("/api/v1/registration-keys", registrationKeys::list)
                .post("/api/v1/registration-keys/{id}/revoke", registrationKeys::revoke)
                .get("/api/v1/policies/{name}", policies::get)
                .put("/api/v1/policies/{name}", policies::put)
                .get("/api/v1/audit", audit::find)
                .post("/api/v1/devices/{id}/purge", devices::purge)
                .post("/api/v1/devices/{id}/recovery-keys/purge", recoveryKeys::purgeRemoved)
                .post("/api/v1/users", users::create)
                .get("/api/v1/users", users::list)
                .get("/api/v1/users/{id}", users::get)
                .post("/api/v1/users/{id}/disable", users::disable)
                .post("/api/v1/users/{id}/enable", users::enable)
                .post("/api/v1/users/{id}/tokens", users::createToken)
                .post("/api/v1/users/{id}/reset-totp", secondFactors::resetTotp)
                .post("/api/v1/user-groups", userGroups::create)
                .get("/api/v1/user-groups", userGroups::list)
                .get("/api/v1/user-groups/{id}", userGroups::get)
                .delete("/api/v1/user-groups/{id}", userGroups::delete)
                .put("/api/v1/user-groups/{id}/members", userGroups::setMembers)
                .post("/api/v1/device-groups", deviceGroups::create)
                .get("/api/v1/device-groups", deviceGroups::list)
                .get("/api/v1/device-groups/{id}", deviceGroups::get)
                .put("/api/v1/device-groups/{id}", deviceGroups::update)
                .delete("/api/v1/device-groups/{id}", deviceGroups::delete)
                .get("/api/v1/device-groups/{id}/members", deviceGroupMembers::list)
                .post("/api/v1/device-groups/{id}/members", deviceGroupMembers::change)
                .post("/api/v1/rules", rules::create)
                .get("/api/v1/rules", rules::list)
                .get("/api/v1/rules/{id}", rules::get)
                .delete("/api/v1/rules/{id}", rules::delete)
                .get("/api/v1/access", access::access)
                .post("/api/v1/channels", channels::create)
                .get("/api/v1/channels", channels::list)
                .delete("/api/v1/channels/{id}", channels::delete);
    }

    /**
     * The console's administration pages (admin only) and its device lifecycle and just-in-time
     * pages, whose posts pass the very permission guards of the API routes they mirror.
     */
    private void registerAdminPages(Routes routes) {
        AdminConsole p = adminPages;
        routes.consoleAdmin()
                .get("/admin", p.index()::index)
                .get("/admin/rules", p.rules()::list)
                .post("/admin/rules", p.rules()::create)
                .post("/admin/rules/{id}/delete", p.rules()::delete)
                .get("/admin/users", p.users()::users)
                .post("/admin/users", p.users()::createUser)
                .post("/admin/users/{id}/disable", p.users()::disable)
                .post("/admin/users/{id}/enable", p.users()::enable)
                .post("/admin/users/{id}/reset-totp", p.users()::resetTotp)
                .get("/admin/users/{id}/tokens", p.users()::tokens)
                .post("/admin/users/{id}/tokens", p.users()::createToken)
                .post("/admin/users/{id}/tokens/{tokenId}/revoke", p.users()::revokeToken)
                .get("/admin/user-groups", p.users()::groups)
                .post("/admin/user-groups", p.users()::createGroup)
                .post("/admin/user-groups/{id}/members", p.users()::setMembers)
                .post("/admin/user-groups/{id}/delete", p.users()::deleteGroup)
                .get("/admin/device-groups", p.deviceGroups()::list)
                .post("/admin/device-groups", p.deviceGroups()::create)
                .post("/admin/device-groups/preview", p.deviceGroups()::preview)
                .get("/admin/device-groups/{id}/edit", p.deviceGroups()::edit)
                .post("/admin/device-groups/{id}/edit", p.deviceGroups()::update)
                .post("/admin/device-groups/{id}/preview", p.deviceGroups()::previewEdit)
                .post("/admin/device-groups/{id}/members", p.deviceGroups()::changeMembers)
                .post("/admin/device-groups/{id}/delete", p.deviceGroups()::delete)
                .get("/admin/registration-keys", p.registrationKeys()::list)
                .post("/admin/registration-keys", p.registrationKeys()::create)
                .post("/admin/registration-keys/{id}/revoke", p.registrationKeys()::revoke)
                .get("/admin/devices", p.devices()::list)
                .post("/devices/{id}/purge", p.devices()::purge)
                .get("/admin/channels", p.channels()::list)
                .post("/admin/channels", p.channels()::create)
                .post("/admin/channels/{id}/delete", p.channels()::delete);
        routes.console()
                .get("/devices/{id}/manage", p.devices()::manage)
                .get("/jit", p.jit()::list)
                .get("/devices/{id}/jit", p.jit()::device);
        routes.consolePermission(Permission.DEVICE_MANAGE, DEVICE_APPROVE).post("/devices/{id}/approve", p.devices()::approve);
        routes.consolePermission(Permission.DEVICE_MANAGE, DEVICE_DISABLE).post("/devices/{id}/disable", p.devices()::disable);
        routes.consolePermission(Permission.DEVICE_MANAGE, DEVICE_ENABLE).post("/devices/{id}/enable", p.devices()::enable);
        routes.consolePermission(Permission.DEVICE_MANAGE, DEVICE_DELETE).post("/devices/{id}/delete", p.devices()::delete);
        routes.consolePermission(Permission.DEVICE_JIT, JIT_REQUEST).post("/devices/{id}/jit", p.jit()::request);
        routes.consolePermission(Permission.DEVICE_JIT, JIT_APPROVE)
                .post("/devices/{id}/jit/{grantId}/approve", p.jit()::approve);
        routes.consolePermission(Permission.DEVICE_JIT, JIT_REVOKE)
                .post("/devices/{id}/jit/{grantId}/revoke", p.jit()::revoke);
    }
}
