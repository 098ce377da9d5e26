package org.castellan.server.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import java.util.Set;

/** Calls the architecture rules look for. */
final class TokenCalls {
    private TokenCalls() {}

    static final DescribedPredicate<JavaMethodCall> PRINCIPAL_FOR_TOKEN_OR_TOUCH = new DescribedPredicate<>(
            "a call of UserStore.principalForToken or touchToken") {
        @Override
        public boolean test(JavaMethodCall call) {
            return call.getTarget().getOwner().isAssignableTo("org.castellan.server.users.UserStore")
                    && Set.of("principalForToken", "touchToken").contains(call.getTarget().getName());
        }
    };

    static final DescribedPredicate<JavaMethodCall> DATABASE_WRITE = new DescribedPredicate<>(
            "Database.write or Database.writeBookkeeping") {
        @Override
        public boolean test(JavaMethodCall call) {
            return call.getTarget().getOwner().getName().equals("org.castellan.server.db.Database")
                    && Set.of("write", "writeBookkeeping").contains(call.getTarget().getName());
        }
    };

    /** A write that may be answered before it is on disk, through the guard's request or the database. */
    static final DescribedPredicate<JavaMethodCall> BOOKKEEPING_WRITE = new DescribedPredicate<>(
            "AgentRequest.writeBookkeeping or Database.writeBookkeeping") {
        @Override
        public boolean test(JavaMethodCall call) {
            String owner = call.getTarget().getOwner().getName();
            return (owner.equals("org.castellan.server.guard.AgentRequest")
                    || owner.equals("org.castellan.server.db.Database"))
                    && call.getTarget().getName().equals("writeBookkeeping");
        }
    };

    /** An HPKE envelope opened (protocol's SecretEnvelope.open). */
    static final DescribedPredicate<JavaMethodCall> ENVELOPE_OPEN = new DescribedPredicate<>("SecretEnvelope.open") {
        @Override
        public boolean test(JavaMethodCall call) {
            return call.getTarget().getOwner().getName().equals("org.castellan.protocol.envelope.SecretEnvelope")
                    && call.getTarget().getName().equals("open");
        }
    };

    static final DescribedPredicate<JavaMethodCall> ROUTE_TABLE_ADD = new DescribedPredicate<>("RouteTable.add") {
        @Override
        public boolean test(JavaMethodCall call) {
            return call.getTarget().getOwner().getName().equals("org.castellan.server.http.RouteTable")
                    && call.getTarget().getName().equals("add");
        }
    };

    /** Javalin's own ways to add an HTTP route (get/post/.../addEndpoint on the routes config or the app). */
    static final DescribedPredicate<JavaMethodCall> JAVALIN_ROUTE_REGISTRATION = new DescribedPredicate<>(
            "a Javalin route registration") {
        private final Set<String> verbs = Set.of("get", "post", "put", "patch", "delete", "head", "options", "query",
                "addEndpoint", "addHttpHandler", "apiBuilder");

        @Override
        public boolean test(JavaMethodCall call) {
            String owner = call.getTarget().getOwner().getName();
            return (owner.equals("io.javalin.config.RoutesConfig") || owner.equals("io.javalin.Javalin")
                    || owner.equals("io.javalin.router.JavalinDefaultRoutingApi")
                    || owner.equals("io.javalin.router.InternalRouter"))
                    && verbs.contains(call.getTarget().getName());
        }
    };
}
