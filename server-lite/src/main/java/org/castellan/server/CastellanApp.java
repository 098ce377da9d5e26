package org.castellan.server;

import org.castellan.server.config.ConsoleSettings;

import io.javalin.Javalin;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import org.castellan.protocol.signing.RequestVerifier;
import org.castellan.server.audit.ChainWatch;
import org.castellan.server.config.ListenAddress;
import org.castellan.server.guard.AccessAudit;
import org.castellan.server.guard.AccessDecision;
import org.castellan.server.guard.AnonymousDenials;
import org.castellan.server.guard.AgentGuard;
import org.castellan.server.guard.Authentication;
import org.castellan.server.guard.CallerGuard;
import org.castellan.server.guard.ConsoleGuard;
import org.castellan.server.guard.ConsoleSessions;
import org.castellan.server.guard.NoncePurger;
import org.castellan.server.guard.PermissionGuard;
import org.castellan.server.guard.Routes;
import org.castellan.server.http.ClientAddresses;
import org.castellan.server.http.ErrorMapping;
import org.castellan.server.http.JettyErrors;
import org.castellan.server.http.MethodOverrideGuard;
import org.castellan.server.http.RequestGuard;
import org.castellan.server.http.SecurityHeaders;
import org.castellan.server.http.Metrics;
import org.castellan.server.http.RequestLimits;
import org.castellan.server.http.RouteTable;
import org.castellan.server.ratelimit.RateLimitSettings;
import org.castellan.server.tls.HttpsConnector;
import org.castellan.server.tls.TlsMaterial;
import org.castellan.server.users.SqlWebSessionStore;
import org.castellan.server.web.ErrorPages;
import org.castellan.server.web.StepUpPrompt;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The composition root of the HTTP side: the Javalin app (HTTPS connector, limits, the method
 * filter, error mapping), the guards, and the routes of {@link ServerRoutes}. Refuses to build an
 * app that serves a route without a guard.
 */
final class CastellanApp {
    private CastellanApp() {}

    /** @param noncePurger deletes the nonces {@code agents} can no longer accept (the retention job runs it) */
    record Built(Javalin app, List<RouteTable.Route> routes, AnonymousDenials anonymousDenials, NoncePurger noncePurger) {}


    /**
     * @param chain the background audit chain check, reported in /healthz and /metrics (null: none)
     * @param metrics what /metrics serves (its token already set)
     * @param deletedRetention how long deleted devices' secrets stay revealable (shown as {@code purgeAfter})
     */
    static Built build(ServerContext s, TlsMaterial tls, ListenAddress listen, RateLimitSettings limits,
                       ChainWatch chain, Metrics metrics, ConsoleSettings consoleSettings,
                       java.time.Duration deletedRetention) {
        ClientAddresses addresses = new ClientAddresses(limits.clientAddressResolver());
        AccessDecision decisions = new AccessDecision(s.userGroups(), s.deviceGroups(), s.rules(), s.clock());
        AnonymousDenials anonymousDenials = new AnonymousDenials(s.db(), s.audit(), s.clock());
        CallerGuard callers = new CallerGuard(new Authentication(s.db(), s.users(), s.clock()), addresses, s.audit(),
                s.db(), anonymousDenials);
        PermissionGuard permissions = new PermissionGuard(callers, decisions,
                new AccessAudit(s.audit(), s.outbox(), metrics, s.clock()), s.devices(), limits.revealLimiter(s.clock(), s.db()),
                s.db(), anonymousDenials);
        AgentGuard agents = new AgentGuard(s.db(), s.devices(), s.audit(), addresses, s.clock(),
                RequestVerifier.DEFAULT_MAX_SKEW, anonymousDenials);
        ConsoleSessions consoleSessions = new ConsoleSessions(new SqlWebSessionStore(), s.db(), s.clock(), s.random(),
                consoleSettings.idle(), consoleSettings.absolute());
        // A refusal for want of a fresh second factor is a step-up prompt; every other one the error page.
        ConsoleGuard console = new ConsoleGuard(consoleSessions, callers, permissions, StepUpPrompt.of(new ErrorPages(),
                s.db(), new org.castellan.server.users.SqlTotpStore(),
                new org.castellan.server.users.TotpSeeds(s.vault()), consoleSettings.oidc() != null));
        ServerRoutes table = new ServerRoutes(s, limits, metrics, decisions, chain, consoleSessions,
                consoleSettings, deletedRetention);
        RouteTable[] routes = new RouteTable[1];

        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = RequestLimits.MAX_BODY_BYTES;
            config.jetty.modifyServer(server -> {
                // Drains in-flight requests on stop instead of cutting them off.
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(10_000);
                // What Jetty refuses before routing (bad request line, URI, headers) answers JSON too.
                server.setErrorHandler(new JettyErrors());
            });
            config.jetty.addConnector((server, httpConfig) -> {
                httpConfig.addCustomizer(new SecurityHeaders());
                return HttpsConnector.create(server, httpConfig, tls, listen);
            });
            config.jetty.modifyServletContextHandler(handler -> {
                handler.setErrorHandler(new JettyErrors());
                // Before Javalin routes anything: a method, query or Content-Type Javalin would mishandle
                // is refused, and no header or parameter may change a request's method.
                handler.addFilter(new FilterHolder(new RequestGuard()), "/*", EnumSet.of(DispatcherType.REQUEST));
                handler.addFilter(new FilterHolder(new MethodOverrideGuard()), "/*", EnumSet.of(DispatcherType.REQUEST));
            });
            ErrorMapping.install(config);
            config.routes.before(RequestLimits::checkDeclaredLength);
            config.routes.before(metrics::started);
            config.routes.after(metrics::answered);
            routes[0] = new RouteTable(config);
            table.register(new Routes(routes[0], agents, callers, permissions, console));
        });
        List<String> unguarded = RouteTable.unguarded(app);
        if (!unguarded.isEmpty()) {
            throw new IllegalStateException("routes without a guard: " + unguarded);
        }
        return new Built(app, routes[0].routes(), anonymousDenials, agents.noncePurger());
    }
}
