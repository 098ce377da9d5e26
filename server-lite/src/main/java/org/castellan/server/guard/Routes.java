package org.castellan.server.guard;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.function.Function;
import org.castellan.server.access.Permission;
import org.castellan.server.http.RouteTable;

/**
 * The only way to register a route: pick its guard, then a method and path, then a handler of
 * the shape that guard gives (an architecture test holds every other class away from
 * {@link RouteTable#add}). The handler's parameter says what the guard already did:
 *
 * <ul>
 *   <li>{@link #open()}: nothing; a {@link Visitor} with the client address.</li>
 *   <li>{@link #agent()}: a device signature verified, nonce unseen; an {@link AgentRequest} whose
 *       one write records the nonce.</li>
 *   <li>{@link #registration()}: the same, signed with the key the body carries.</li>
 *   <li>{@link #authenticated()}, {@link #admin()}: a live token (and the admin role); a
 *       {@link Caller} whose {@link Caller#act} writes the audit row with the change.</li>
 *   <li>{@link #permission}: a named permission on the route's device, every refusal audited; a
 *       {@link DeviceGrant} whose {@link DeviceGrant#use} records the grant with the work.</li>
 *   <li>{@link #permissionOnFoundDevices}: the same for the devices a search finds.</li>
 * </ul>
 */
public final class Routes {
    @FunctionalInterface
    public interface OpenHandler {
        void handle(Context ctx, Visitor visitor) throws Exception;
    }

    @FunctionalInterface
    public interface AgentHandler {
        void handle(Context ctx, AgentRequest request) throws Exception;
    }

    /** Registration: read and check the body, name the key it is signed with, then act on the verified request. */
    public interface RegistrationHandler<T> {
        T read(Context ctx, byte[] body);

        String publicKey(T request);

        void handle(Context ctx, T request, AgentRequest verified) throws Exception;
    }

    @FunctionalInterface
    public interface CallerHandler {
        void handle(Context ctx, Caller caller) throws Exception;
    }

    @FunctionalInterface
    public interface DeviceHandler {
        void handle(Context ctx, DeviceGrant grant) throws Exception;
    }

    @FunctionalInterface
    public interface SearchHandler {
        void handle(Context ctx, DeviceSearch search) throws Exception;
    }

    @FunctionalInterface
    public interface PendingHandler {
        void handle(Context ctx, PendingSignIn signIn) throws Exception;
    }

    /** One guard's routes. */
    public static final class Guarded<H> {
        private final RouteTable table;
        private final RouteTable.Guard guard;
        private final Function<H, Handler> wrap;

        Guarded(RouteTable table, RouteTable.Guard guard, Function<H, Handler> wrap) {
            this.table = table;
            this.guard = guard;
            this.wrap = wrap;
        }

        public Guarded<H> get(String path, H handler) {
            return add(HandlerType.GET, path, handler);
        }

        public Guarded<H> post(String path, H handler) {
            return add(HandlerType.POST, path, handler);
        }

        public Guarded<H> put(String path, H handler) {
            return add(HandlerType.PUT, path, handler);
        }

        public Guarded<H> delete(String path, H handler) {
            return add(HandlerType.DELETE, path, handler);
        }

        private Guarded<H> add(HandlerType method, String path, H handler) {
            table.add(method, path, guard, wrap.apply(handler));
            return this;
        }
    }

    private final RouteTable table;
    private final AgentGuard agents;
    private final CallerGuard callers;
    private final PermissionGuard permissions;
    private final ConsoleGuard console;

    public Routes(RouteTable table, AgentGuard agents, CallerGuard callers, PermissionGuard permissions,
                  ConsoleGuard console) {
        this.table = table;
        this.agents = agents;
        this.callers = callers;
        this.permissions = permissions;
        this.console = console;
    }

    public Guarded<OpenHandler> open() {
        return new Guarded<>(table, new RouteTable.Guard("open"), h -> ctx -> callers.open(ctx, h));
    }

    public Guarded<AgentHandler> agent() {
        return new Guarded<>(table, new RouteTable.Guard("agent-signed"), h -> ctx -> agents.signedByDevice(ctx, h));
    }

    public Guarded<RegistrationHandler<?>> registration() {
        return new Guarded<>(table, new RouteTable.Guard("agent-signed registration (key in the body)"),
                h -> ctx -> agents.selfSigned(ctx, h));
    }

    public Guarded<CallerHandler> authenticated() {
        return new Guarded<>(table, new RouteTable.Guard("authenticated"), h -> ctx -> callers.authenticated(ctx, h));
    }

    public Guarded<CallerHandler> admin() {
        return new Guarded<>(table, new RouteTable.Guard("admin"), h -> ctx -> callers.admin(ctx, h));
    }

    /** Console pages anyone may load (sign-in, assets); a POST needs the sign-in cookie's CSRF token. */
    public Guarded<OpenHandler> consoleOpen() {
        return new Guarded<>(table, new RouteTable.Guard("console open (sign-in CSRF token on POST)"),
                h -> ctx -> console.open(ctx, h));
    }

    /** The console's second sign-in step: the password was right, a TOTP code is due. */
    public Guarded<PendingHandler> consoleSecondFactor() {
        return new Guarded<>(table, new RouteTable.Guard("console second factor due (CSRF token on POST)"),
                h -> ctx -> console.secondFactor(ctx, h));
    }

    /** Console pages behind sign-in: a live signed-in session, its CSRF token on anything but GET. */
    public Guarded<CallerHandler> console() {
        return new Guarded<>(table, new RouteTable.Guard("console session (CSRF token on POST)"),
                h -> ctx -> console.signedIn(ctx, h));
    }

    /** Console pages for the admin role only: a console session, then the API's admin check (403 for others). */
    public Guarded<CallerHandler> consoleAdmin() {
        return new Guarded<>(table, new RouteTable.Guard("console session of an admin (CSRF token on POST)"),
                h -> ctx -> console.admin(ctx, h));
    }

    /** A console session, then exactly the API's permission guard on the device {@code {id}}; reason from the form. */
    public Guarded<DeviceHandler> consolePermission(Permission permission, String auditAction) {
        return new Guarded<>(table, new RouteTable.Guard("console session (CSRF token on POST), permission "
                + permission.wireName() + " (audited as " + auditAction + ")"),
                h -> ctx -> console.permission(ctx, permission, auditAction, h));
    }

    /** {@code permission} on the device {@code {id}} of the path; uses and refusals audited as {@code auditAction}. */
    public Guarded<DeviceHandler> permission(Permission permission, String auditAction) {
        return new Guarded<>(table, new RouteTable.Guard("permission " + permission.wireName() + " (audited as "
                + auditAction + ")"), h -> ctx -> permissions.onDevice(ctx, permission, auditAction, h));
    }

    /** {@code permission} on each device the handler's search finds; audited per device as {@code auditAction}. */
    public Guarded<SearchHandler> permissionOnFoundDevices(Permission permission, String auditAction) {
        return new Guarded<>(table, new RouteTable.Guard("permission " + permission.wireName()
                + " on each device found (audited as " + auditAction + ")"),
                h -> ctx -> permissions.acrossDevices(ctx, permission, auditAction, h));
    }
}
