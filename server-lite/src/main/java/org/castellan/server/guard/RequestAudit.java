package org.castellan.server.guard;

import java.sql.Connection;
import java.sql.SQLException;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;

/**
 * The audit rows of one request, appended in its transaction. The client address is the
 * request's, from the one client-address function ({@code http.ClientAddresses}); a handler
 * names only what happened.
 */
public final class RequestAudit {
    private final Connection connection;
    private final AuditLog log;
    private final String principal;
    private final String deviceId;
    private final String clientAddress;

    RequestAudit(Connection connection, AuditLog log, String principal, String deviceId, String clientAddress) {
        this.connection = connection;
        this.log = log;
        this.principal = principal;
        this.deviceId = deviceId;
        this.clientAddress = clientAddress;
    }

    /** {@code action} done ({@code ok}) by the request's principal, on its device if it has one. */
    public void ok(String action, String detail) throws SQLException {
        append(principal, action, "ok", deviceId, detail);
    }

    /** A row for another principal or outcome (registration: the key that was used, a refusal). */
    public void append(String rowPrincipal, String action, String outcome, String rowDeviceId, String detail)
            throws SQLException {
        log.append(connection, new AuditEvent(rowPrincipal, action, outcome, rowDeviceId, null, clientAddress, detail));
    }
}
