package org.castellan.server.recovery;

import org.castellan.protocol.AgentPaths;
import org.castellan.server.ServerContext;
import org.castellan.server.agent.AgentAuthenticator;
import org.castellan.server.agent.NonceStore;
import org.castellan.server.http.Authorizer;
import org.castellan.server.http.RouteTable;

/** Wires the recovery-key store, opener, agent escrow endpoint and admin reveal routes. */
public final class RecoveryKeyEndpoints {
    private RecoveryKeyEndpoints() {}

    public static void register(RouteTable routes, ServerContext s, AgentAuthenticator agents, NonceStore nonces,
                                Authorizer auth, org.castellan.server.http.ClientAddresses addresses) {
        RecoveryKeyStore store = new SqlRecoveryKeyStore();
        RecoveryKeyOpener opener = new RecoveryKeyOpener(s.vault());
        routes.post(AgentPaths.RECOVERY_KEYS, new RecoveryKeyEscrowHandler(s.db(), agents, nonces, store, opener,
                s.audit(), addresses, s.clock()));
        new RecoveryKeyRoutes(s.db(), s.devices(), store, opener, s.audit(), auth).register(routes);
    }
}
