package org.castellan.server.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;

/**
 * The shape server-lite keeps, as rules: each test checks them on the real classes, and again on
 * a fixture that breaks them, so a rule that could never fail is noticed.
 */
public final class ServerArchitecture {
    static final String SERVER = "org.castellan.server";
    private static JavaClasses main;

    private ServerArchitecture() {}

    /** The server's production classes (not the tests, not the fixtures). */
    public static synchronized JavaClasses mainClasses() {
        if (main == null) {
            main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages(SERVER);
        }
        return main;
    }

    public static JavaClasses classes(Class<?>... classes) {
        return new ClassFileImporter().importClasses(Arrays.asList(classes));
    }

    /** http/ is a toolkit (request parsing, JSON bodies, error mapping, the route table): it knows no feature. */
    public static final ArchRule HTTP_IS_A_TOOLKIT = noClasses().that().resideInAPackage(SERVER + ".http..")
            .should().dependOnClassesThat(resideInAPackage(SERVER + "..").and(resideOutsideOfPackage(SERVER + ".http..")))
            .as("http/ depends on no other package of the server");

    /** Every package of the server, the root included, is its own slice; no two may depend on each other. */
    public static final ArchRule NO_PACKAGE_CYCLES = slices().matching("org.castellan.(**)").should().beFreeOfCycles()
            .as("server packages form no dependency cycle");

    /**
     * Layers: feature packages (model, stores, domain logic) know nothing of the guards or the
     * surfaces built on them (admin API, agent API, web console), and only the command line reaches the composition root.
     */
    public static final ArchRule FEATURES_BELOW_GUARDS = noClasses().that()
            .resideOutsideOfPackages(SERVER, SERVER + ".admin..", SERVER + ".agent..", SERVER + ".guard..",
                    SERVER + ".web..", SERVER + ".cli..")
            .should().dependOnClassesThat().resideInAnyPackage(SERVER + ".admin..", SERVER + ".agent..",
                    SERVER + ".guard..", SERVER + ".web..")
            .as("feature packages do not depend on guard/, admin/ or agent/");

    public static final ArchRule ROOT_ON_TOP = noClasses().that().resideOutsideOfPackages(SERVER, SERVER + ".cli..")
            .should().dependOnClassesThat().resideInAPackage(SERVER)
            .as("only the command line depends on the composition root");

    /**
     * Handlers never verify or record anything themselves: the nonce store, the authenticator and
     * the guards are reached only by the guard package and the composition root that builds them,
     * and no one but the authenticator reads or touches tokens.
     */
    public static final ArchRule HANDLERS_LEAVE_NONCES_AND_TOKENS_TO_THE_GUARDS = noClasses().that()
            .resideOutsideOfPackage(SERVER + ".guard..").and().doNotHaveFullyQualifiedName(SERVER + ".CastellanApp")
            .should().dependOnClassesThat(or(name(SERVER + ".guard.NonceStore"), name(SERVER + ".guard.Authentication"),
                    name(SERVER + ".guard.AgentGuard"), name(SERVER + ".guard.CallerGuard"),
                    name(SERVER + ".guard.PermissionGuard")))
            .orShould().callMethodWhere(TokenCalls.PRINCIPAL_FOR_TOKEN_OR_TOUCH)
            .as("only guard/ verifies signatures, records nonces and authenticates tokens");

    /**
     * A handler's writes go through what its guard handed it ({@code AgentRequest.write},
     * {@code Caller.act}, {@code DeviceGrant.use}, {@code Visitor.write}), which add the nonce, the
     * token's use and the audit row: a handler cannot open a transaction that forgets them.
     */
    public static final ArchRule HANDLERS_WRITE_THROUGH_THEIR_GUARD = noClasses().that()
            .resideInAnyPackage(SERVER + ".admin..", SERVER + ".agent..", SERVER + ".web..")
            .should().callMethodWhere(TokenCalls.DATABASE_WRITE)
            .as("admin/, agent/ and web/ handlers write only through their guard's request object");

    /**
     * Promise 1 by structure: every write is acknowledged only once durable, except a plain
     * check-in's bookkeeping (db/LazyCommits.java). Only the check-in handler asks for that, and
     * only through its guard's request (which records the nonce the fence then protects). The one
     * other is no request's: the background fill of a device group's match rows, which answers no
     * one and commits its cursor with its rows (groups/DeviceGroupMatchFill).
     */
    public static final ArchRule ONLY_CHECK_INS_ARE_BOOKKEEPING = noClasses().that()
            .doNotHaveFullyQualifiedName(SERVER + ".agent.CheckInHandler")
            .and().doNotHaveFullyQualifiedName(SERVER + ".guard.AgentRequest")
            .and().doNotHaveFullyQualifiedName(SERVER + ".groups.DeviceGroupMatchFill")
            .should().callMethodWhere(TokenCalls.BOOKKEEPING_WRITE)
            .as("only the check-in handler writes bookkeeping that may be answered before it is durable");

    /**
     * Issue 11 by structure: the server opens envelopes only through {@code vault.EnvelopeOpens},
     * which refuses inside a write transaction (on SQLite the writer thread every write waits for).
     */
    public static final ArchRule ENVELOPES_OPEN_THROUGH_THE_GUARD = noClasses().that()
            .doNotHaveFullyQualifiedName(SERVER + ".vault.EnvelopeOpens")
            .should().callMethodWhere(TokenCalls.ENVELOPE_OPEN)
            .as("envelopes are opened only through vault.EnvelopeOpens, never inside a write transaction");

    /** Routes are added through the guarded builders only; Javalin's route API is the toolkit's business. */
    public static final ArchRule ROUTES_ONLY_WITH_A_GUARD = noClasses().that()
            .resideOutsideOfPackage(SERVER + ".guard..").and().resideOutsideOfPackage(SERVER + ".http..")
            .should().callMethodWhere(TokenCalls.ROUTE_TABLE_ADD)
            .orShould().callMethodWhere(TokenCalls.JAVALIN_ROUTE_REGISTRATION)
            .as("routes are registered only through guard.Routes");
}
