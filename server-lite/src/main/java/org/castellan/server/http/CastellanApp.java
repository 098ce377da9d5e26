package org.castellan.server.http;

import io.javalin.Javalin;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.signing.RequestVerifier;
import org.castellan.server.ServerContext;
import org.castellan.server.agent.AgentAuthenticator;
import org.castellan.server.agent.CheckInHandler;
import org.castellan.server.agent.NonceStore;
import org.castellan.server.agent.RegisterHandler;
import org.castellan.server.agent.RotationHandlers;
import org.castellan.server.audit.AuditRoutes;
import org.castellan.server.channels.ChannelRoutes;
import org.castellan.server.config.ListenAddress;
import org.castellan.server.devices.DeviceRoutes;
import org.castellan.server.groups.DeviceGroupRoutes;
import org.castellan.server.groups.UserGroupRoutes;
import org.castellan.server.policy.PolicyRoutes;
import org.castellan.server.ratelimit.RateLimitSettings;
import org.castellan.server.recovery.RecoveryKeyEndpoints;
import org.castellan.server.registration.RegistrationKeyRoutes;
import org.castellan.server.rotation.PasswordOpener;
import org.castellan.server.rotation.PasswordRoutes;
import org.castellan.server.rules.AccessRoutes;
import org.castellan.server.rules.RuleRoutes;
import org.castellan.server.tls.HttpsConnector;
import org.castellan.server.tls.TlsMaterial;
import org.castellan.server.users.PasswordHasher;
import org.castellan.server.users.SessionRoutes;
import org.castellan.server.users.UserRoutes;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.handler.GracefulHandler;

/** Builds the Javalin app: HTTPS connector, limits, error mapping and every route, in one readable place. */
public final class CastellanApp {
    private CastellanApp() {}

    /** The app, its routes, and the one {@link Authorizer} every admin route (and later ones) uses. */
    public record Built(Javalin app, List<RouteTable.Route> routes, Authorizer authorizer) {}

    public static Built build(ServerContext s, TlsMaterial tls, ListenAddress listen, RateLimitSettings limits) {
        Metrics metrics = new Metrics();
        ClientAddresses addresses = new ClientAddresses(limits.clientAddressResolver());
        Authorizer auth = new Authorizer(s.db(), s.users(), s.userGroups(), s.deviceGroups(), s.rules(), s.devices(),
                s.audit(), s.outbox(), limits.revealLimiter(s.clock()), addresses, metrics, s.clock());
        PasswordHasher hasher = new PasswordHasher();
        NonceStore nonces = new NonceStore(s.clock(), RequestVerifier.DEFAULT_MAX_SKEW);
        AgentAuthenticator agents = new AgentAuthenticator(s.db(), s.devices(), nonces, s.clock(),
                RequestVerifier.DEFAULT_MAX_SKEW);
        RotationHandlers rotationHandlers = new RotationHandlers(s.db(), agents, nonces, s.rotations(), s.policyLookup(),
                s.audit(), s.vault(), metrics, s.clock());
        RouteTable[] table = new RouteTable[1];

        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = RequestLimits.MAX_BODY_BYTES;
            config.jetty.modifyServer(server -> {
                // Drains in-flight requests on stop instead of cutting them off.
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(10_000);
            });
            config.jetty.addConnector((server, httpConfig) -> HttpsConnector.create(server, httpConfig, tls, listen));
            // Before Javalin routes anything: no header or parameter may change a request's method.
            config.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                    new FilterHolder(new MethodOverrideGuard()), "/*", EnumSet.of(DispatcherType.REQUEST)));
            ErrorMapping.install(config);
            config.routes.before(RequestLimits::checkDeclaredLength);
            config.routes.after(ctx -> metrics.request(ctx.statusCode()));

            RouteTable routes = new RouteTable(config);
            table[0] = routes;
            routes.get("/healthz", ctx -> Responses.ok(ctx, Map.of("status", "ok")));
            routes.get("/metrics", metrics::serve);
            OpenApiRoutes.register(routes);

            routes.post(AgentPaths.REGISTER, new RegisterHandler(s.db(), agents, nonces, s.registrationKeys(),
                    s.devices(), s.policyLookup(), s.deviceGroups(), limits.registrationLimiter(s.clock()), addresses,
                    s.audit(), s.vault(), s.clock()));
            routes.post(AgentPaths.CHECK_IN, new CheckInHandler(s.db(), agents, nonces, s.devices(), s.rotations(),
                    s.policyLookup(), s.vault(), s.clock(), s.audit()));
            routes.post(AgentPaths.ROTATIONS, rotationHandlers::escrow);
            routes.post(AgentPaths.ROTATION_COMMIT, rotationHandlers::commit);
            routes.post(AgentPaths.ROTATION_ABORT, rotationHandlers::abort);

            new RegistrationKeyRoutes(s.db(), s.registrationKeys(), s.audit(), auth, s.deviceGroups(), s.clock(),
                    s.random()).register(routes);
            new DeviceRoutes(s.db(), s.devices(), s.rotations(), s.deviceGroups(), auth, s.clock()).register(routes);
            new PasswordRoutes(s.db(), s.devices(), s.rotations(), s.audit(), auth, new PasswordOpener(s.vault()),
                    s.clock()).register(routes);
            new PolicyRoutes(s.db(), s.policies(), s.audit(), auth, s.clock()).register(routes);
            new AuditRoutes(s.db(), s.audit(), auth).register(routes);
            new UserRoutes(s.db(), s.users(), s.audit(), auth, hasher, s.clock(), s.random()).register(routes);
            new SessionRoutes(s.db(), s.users(), s.audit(), hasher, limits.loginLockout(s.clock()), addresses,
                    s.clock(), s.random()).register(routes);
            new UserGroupRoutes(s.db(), s.userGroups(), s.users(), s.audit(), auth, s.clock()).register(routes);
            new DeviceGroupRoutes(s.db(), s.deviceGroups(), s.devices(), s.policies(), s.audit(), auth, s.clock())
                    .register(routes);
            new RuleRoutes(s.db(), s.rules(), s.channels(), s.users(), s.userGroups(), s.devices(), s.deviceGroups(),
                    s.audit(), auth, s.clock()).register(routes);
            new AccessRoutes(s.db(), s.devices(), s.users(), auth).register(routes);
            new ChannelRoutes(s.db(), s.channels(), s.audit(), auth, s.clock()).register(routes);
            RecoveryKeyEndpoints.register(routes, s, agents, nonces, auth);
        });
        return new Built(app, table[0].routes(), auth);
    }
}
