package org.castellan.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.lang.EvaluationResult;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import java.nio.file.Path;
import java.util.List;
import org.castellan.server.admin.fixture.HandlerThatChecksTokensItself;
import org.castellan.server.admin.fixture.HandlerThatWritesAroundItsGuard;
import org.castellan.server.admin.fixture.HandlerThatWritesBookkeepingAroundItsGuard;
import org.castellan.server.agent.fixture.EscrowAsBookkeeping;
import org.castellan.server.admin.fixture.UnguardedRoute;
import org.castellan.server.http.RouteTable;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No route without a guard, and no handler doing a guard's work: each check runs on the real
 * server and on a fixture that breaks it, so the check is known to fail when it should.
 */
class RouteGuardTest {
    @TempDir
    Path dataDir;

    @Test
    void everyRouteJavalinServesCarriesTheGuardItWasRegisteredWith() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            List<RouteTable.Route> served = server.server.servedRoutes();
            assertThat(served).hasSizeGreaterThan(50);
            assertThat(served).as("routes without a guard").filteredOn(route -> route.guard() == null).isEmpty();
            assertThat(served).containsExactlyInAnyOrderElementsOf(server.server.routes());
            assertThat(served).contains(
                    new RouteTable.Route("get", "/healthz", "open"),
                    new RouteTable.Route("post", "/api/v1/agent/check-in", "agent-signed"),
                    new RouteTable.Route("post", "/api/v1/users", "admin"),
                    new RouteTable.Route("get", "/api/v1/devices/{id}/password",
                            "permission password.read (audited as password.reveal)"));
        }
    }

    @Test
    void aRouteRegisteredAroundTheGuardsIsFound() {
        Javalin app = Javalin.create(config -> {
            new RouteTable(config).add(HandlerType.GET, "/fixture/guarded", new RouteTable.Guard("open"),
                    ctx -> ctx.result("ok"));
            UnguardedRoute.register(config);
        });
        assertThat(RouteTable.unguarded(app)).containsExactly("GET " + UnguardedRoute.PATH);
    }

    @Test
    void noHandlerRecordsNoncesOrAuthenticatesItself() {
        ServerArchitecture.HANDLERS_LEAVE_NONCES_AND_TOKENS_TO_THE_GUARDS.check(ServerArchitecture.mainClasses());
    }

    @Test
    void aHandlerThatChecksTokensItselfIsCaught() {
        EvaluationResult result = ServerArchitecture.HANDLERS_LEAVE_NONCES_AND_TOKENS_TO_THE_GUARDS
                .evaluate(ServerArchitecture.classes(HandlerThatChecksTokensItself.class));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anySatisfy(line -> assertThat(line).contains("Authentication"))
                .anySatisfy(line -> assertThat(line).contains("principalForToken"));
    }

    @Test
    void handlersWriteOnlyThroughTheirGuardsRequestObject() {
        ServerArchitecture.HANDLERS_WRITE_THROUGH_THEIR_GUARD.check(ServerArchitecture.mainClasses());
        assertThat(ServerArchitecture.HANDLERS_WRITE_THROUGH_THEIR_GUARD
                .evaluate(ServerArchitecture.classes(HandlerThatWritesAroundItsGuard.class)).hasViolation()).isTrue();
    }

    @Test
    void aHandlerThatWritesBookkeepingAroundItsGuardIsCaught() {
        assertThat(ServerArchitecture.HANDLERS_WRITE_THROUGH_THEIR_GUARD
                .evaluate(ServerArchitecture.classes(HandlerThatWritesBookkeepingAroundItsGuard.class)).hasViolation())
                .isTrue();
    }

    @Test
    void onlyTheCheckInHandlerWritesBookkeeping() {
        ServerArchitecture.ONLY_CHECK_INS_ARE_BOOKKEEPING.check(ServerArchitecture.mainClasses());
        assertThat(ServerArchitecture.ONLY_CHECK_INS_ARE_BOOKKEEPING
                .evaluate(ServerArchitecture.classes(EscrowAsBookkeeping.class)).hasViolation()).isTrue();
    }

    @Test
    void routesAreRegisteredOnlyThroughTheGuardedTable() {
        ServerArchitecture.ROUTES_ONLY_WITH_A_GUARD.check(ServerArchitecture.mainClasses());
        assertThat(ServerArchitecture.ROUTES_ONLY_WITH_A_GUARD.evaluate(ServerArchitecture.classes(UnguardedRoute.class))
                .hasViolation()).isTrue();
    }
}
