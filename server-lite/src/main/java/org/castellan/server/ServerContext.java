package org.castellan.server;

import java.security.SecureRandom;
import java.time.Clock;
import org.castellan.server.audit.AppendListener;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.audit.ChainTip;
import org.castellan.server.audit.EmbeddedChainTip;
import org.castellan.server.audit.SqlAuditLog;
import org.castellan.server.channels.ChannelStore;
import org.castellan.server.db.Database;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.devices.SqlDeviceStore;
import org.castellan.server.groups.DeviceGroupMatchFill;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.groups.SqlUserGroupStore;
import org.castellan.server.notify.JdbcNotificationOutbox;
import org.castellan.server.notify.NotificationOutbox;
import org.castellan.server.policy.PolicyLookup;
import org.castellan.server.policy.PolicyStore;
import org.castellan.server.policy.SqlPolicyStore;
import org.castellan.server.registration.RegistrationKeyStore;
import org.castellan.server.registration.SqlRegistrationKeyStore;
import org.castellan.server.rotation.RotationStore;
import org.castellan.server.rotation.SqlRotationStore;
import org.castellan.server.rules.SqlRuleStore;
import org.castellan.server.users.SqlUserStore;
import org.castellan.server.users.UserStore;
import org.castellan.server.vault.Vault;

/** The server's long-lived parts: database, one store per aggregate, vault, clock and randomness. */
public record ServerContext(Database db, Vault vault, Clock clock, SecureRandom random, UserStore users,
                            RegistrationKeyStore registrationKeys, DeviceStore devices, RotationStore rotations,
                            PolicyStore policies, AuditLog audit, SqlUserGroupStore userGroups,
                            SqlDeviceGroupStore deviceGroups, SqlRuleStore rules, ChannelStore channels,
                            NotificationOutbox outbox, PolicyLookup policyLookup, DeviceGroupMatchFill groupMatchFill) {

    public static ServerContext sqlite(Database db, Vault vault, Clock clock, SecureRandom random) {
        return sqlite(db, vault, clock, random, AppendListener.NONE);
    }

    /** {@code auditAppends} hears every audit append (the audit head anchor). */
    public static ServerContext sqlite(Database db, Vault vault, Clock clock, SecureRandom random,
                                       AppendListener auditAppends) {
        return of(db, vault, clock, random, new EmbeddedChainTip(auditAppends));
    }

    /** On either database; {@code chainTip} is where audit appends find the chain's end. */
    public static ServerContext of(Database db, Vault vault, Clock clock, SecureRandom random, ChainTip chainTip) {
        SqlPolicyStore policies = new SqlPolicyStore();
        SqlDeviceGroupStore deviceGroups = new SqlDeviceGroupStore();
        return new ServerContext(db, vault, clock, random, new SqlUserStore(), new SqlRegistrationKeyStore(),
                new SqlDeviceStore(), new SqlRotationStore(), policies, new SqlAuditLog(clock, chainTip),
                new SqlUserGroupStore(), deviceGroups, new SqlRuleStore(), new ChannelStore(db, vault),
                new JdbcNotificationOutbox(db, clock), new PolicyLookup(policies, deviceGroups),
                new DeviceGroupMatchFill(db));
    }
}
