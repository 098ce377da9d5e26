package org.castellan.server;

import org.castellan.server.config.ConsoleSettings;

import io.javalin.Javalin;
import org.eclipse.jetty.server.handler.GracefulHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.castellan.server.audit.AuditHeadAnchor;
import org.castellan.server.audit.AuditIntake;
import org.castellan.server.audit.ChainTip;
import org.castellan.server.audit.ChainWatch;
import org.castellan.server.audit.EmbeddedChainTip;
import org.castellan.server.audit.SharedAuditAnchor;
import org.castellan.server.db.JobLeader;
import org.castellan.server.http.Metrics;
import org.castellan.server.config.ServerConfig;
import org.castellan.server.db.Database;
import org.castellan.server.files.DataDirModes;
import org.castellan.server.files.SecureFiles;
import org.castellan.server.groups.DeviceGroupMatchFill;
import org.castellan.server.guard.AnonymousDenials;
import org.castellan.server.guard.NoncePurger;
import org.castellan.server.http.RouteTable;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.notify.WebhookDispatcher;
import org.castellan.server.retention.HistoryPurger;
import org.castellan.server.retention.RetentionJob;
import org.castellan.server.retention.SsoLoginPurger;
import org.castellan.server.retention.TombstonePurger;
import org.castellan.server.tls.TlsFiles;
import org.castellan.server.tls.TlsMaterial;
import org.castellan.server.users.Bootstrap;
import org.castellan.server.vault.Vault;
import org.castellan.server.vault.VaultKeyFiles;

/**
 * Starts the server in-process: prepares the data directory on first start (TLS certificate,
 * vault key, database, bootstrap admin), then serves HTTPS. Used by {@code serve} and by tests.
 */
public final class CastellanServer implements AutoCloseable {
    public static final java.time.Duration PURGE_EVERY = java.time.Duration.ofHours(1);
    private final Javalin app;
    private final Database db;
    private final TlsMaterial tls;
    private final Optional<String> initialAdminToken;
    private final List<RouteTable.Route> routes;
    private final ServerConfig config;
    private final WebhookDispatcher dispatcher;
    private final HistoryPurger purger;
    private final TombstonePurger tombstones;
    private final SsoLoginPurger ssoLogins;
    private final NoncePurger nonces;
    private final RetentionJob retention;
    private final AnonymousDenials anonymousDenials;
    private final ChainWatch chain;
    /** The embedded database's anchor (null on PostgreSQL, which has {@link #sharedAnchor}). */
    private final AuditHeadAnchor anchor;
    private final PeriodicGauges gauges;
    private final SharedAuditAnchor sharedAnchor;
    private final List<JobLeader> leaders;
    private final AuditIntake intake;
    private final DeviceGroupMatchFill groupMatches;

    private CastellanServer(Javalin app, Database db, TlsMaterial tls, Optional<String> initialAdminToken,
                            List<RouteTable.Route> routes, ServerConfig config, WebhookDispatcher dispatcher,
                            HistoryPurger purger, TombstonePurger tombstones, RetentionJob retention,
                            ChainWatch chain, AnonymousDenials anonymousDenials, AuditHeadAnchor anchor,
                            PeriodicGauges gauges, SharedAuditAnchor sharedAnchor, List<JobLeader> leaders,
                            AuditIntake intake, SsoLoginPurger ssoLogins, NoncePurger nonces,
                            DeviceGroupMatchFill groupMatches) {
        this.groupMatches = groupMatches;
        this.ssoLogins = ssoLogins;
        this.nonces = nonces;
        this.chain = chain;
        this.anonymousDenials = anonymousDenials;
        this.tombstones = tombstones;
        this.retention = retention;
        this.gauges = gauges;
        this.anchor = anchor;
        this.sharedAnchor = sharedAnchor;
        this.leaders = leaders;
        this.intake = intake;
        this.dispatcher = dispatcher;
        this.purger = purger;
        this.app = app;
        this.db = db;
        this.tls = tls;
        this.initialAdminToken = initialAdminToken;
        this.routes = routes;
        this.config = config;
    }

    public static CastellanServer start(ServerConfig config) throws IOException, GeneralSecurityException {
        return start(config, Clock.systemUTC());
    }

    public static CastellanServer start(ServerConfig config, Clock clock) throws IOException, GeneralSecurityException {
        return start(config, clock, DispatcherSettings.defaults());
    }

    /** {@code webhooks} tunes notification delivery (tests use short retry delays). */
    public static CastellanServer start(ServerConfig config, Clock clock, DispatcherSettings webhooks)
            throws IOException, GeneralSecurityException {
        return start(config, clock, webhooks, ConsoleSettings.defaults());
    }

    /** {@code console}: the web console's session and reveal timings (tests shorten them). */
    public static CastellanServer start(ServerConfig config, Clock clock, DispatcherSettings webhooks,
                                        ConsoleSettings console) throws IOException, GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        Path dataDir = config.dataDir();
        // PostgreSQL first: a database that cannot be used stops the start before anything is created here.
        // On PostgreSQL the cluster's start-up lock is held from here to the end of the bootstrap (see startupDone).
        Database shared = config.database().embedded() ? null : Database.openToServe(dataDir, config.database());
        try {
            return start(config, clock, webhooks, console, random, shared);
        } catch (RuntimeException | IOException | GeneralSecurityException e) {
            if (shared != null) {
                shared.close();
            }
            throw e;
        }
    }

    private static CastellanServer start(ServerConfig config, Clock clock, DispatcherSettings webhooks,
                                         ConsoleSettings console, SecureRandom random, Database shared)
            throws IOException, GeneralSecurityException {
        Path dataDir = config.dataDir();
        // Before any secret is read or written: refuse a data directory that others can read.
        List<Path> configured = new java.util.ArrayList<>();
        if (config.tlsKeystore() != null) {
            configured.add(config.tlsKeystore());
        }
        if (config.metricsTokenFile() != null) {
            configured.add(config.metricsTokenFile());
        }
        DataDirModes.requirePrivate(dataDir, configured);
        SecureFiles.createPrivateDirectory(dataDir);
        TlsMaterial tls = config.tlsKeystore() != null
                ? TlsFiles.load(config.tlsKeystore(), config.tlsKeystorePassword().toCharArray())
                : new TlsFiles(dataDir).loadOrCreate(random, clock.instant());
        Vault vault = new VaultKeyFiles(dataDir).loadOrCreate(random);
        Database db = shared != null ? shared : Database.open(dataDir);
        AuditHeadAnchor anchor = null;
        SharedAuditAnchor sharedAnchor = null;
        PeriodicGauges gauges = null;
        try {
            ChainTip tip;
            java.util.function.Supplier<org.castellan.server.audit.AuditHead> committedHead;
            if (db.shared()) {
                // Before anything writes: the shared chain head row and this node's witness (docs/postgresql.md).
                sharedAnchor = SharedAuditAnchor.open(db, dataDir, random, clock);
                // Every node must hold the cluster's vault keys, or it escrows what the others cannot reveal.
                org.castellan.server.vault.SharedVaultKeys.check(db, vault, new VaultKeyFiles(dataDir).dir(),
                        clock.instant());
                tip = sharedAnchor.tip();
                committedHead = sharedAnchor::committedHead;
            } else {
                // Before anything writes: checks the database against DIR/audit/head, then keeps it current
                // (a background thread writes the anchor file, off the request path).
                anchor = AuditHeadAnchor.open(db, dataDir, random);
                db.listen(anchor);
                // Check-in bookkeeping may commit without its fsync from now on (db/LazyCommits.java).
                db.allowLazyCommits(clock, org.castellan.server.db.BootId.current());
                tip = new EmbeddedChainTip(anchor);
                committedHead = anchor::committedHead;
            }
            ServerContext context = ServerContext.of(db, vault, clock, random, tip);
            Optional<String> token = Bootstrap.createAdminIfFirstStart(db, context.users(), dataDir, random, clock);
            // Schema, anchor and first admin exist now: a node starting at the same moment may go on and find them.
            db.startupDone();
            // What command-line tools (backup, vault shares/recover) queued while the server was down.
            AuditIntake intake = new AuditIntake(db, context.audit());
            intake.drain();
            ChainWatch chain = new ChainWatch(db, clock, committedHead);
            Metrics metrics = new Metrics();
            metrics.requireToken(metricsToken(config));
            CastellanApp.Built built = CastellanApp.build(context, tls, config.listen(), config.limits(), chain, metrics,
                    console, config.deletedRetention());
            WebhookDispatcher dispatcher = new WebhookDispatcher(context.outbox(), context.channels(), clock, webhooks);
            HistoryPurger purger = new HistoryPurger(db, context.devices(), context.rotations(), context.policyLookup(),
                    context.audit(), clock);
            // One node of several runs each cluster-wide job (always this one on the embedded database).
            JobLeader webhookLeader = JobLeader.of(db, "webhooks");
            JobLeader purgeLeader = JobLeader.of(db, "history-purge");
            dispatcher.runWhen(webhookLeader::lead);
            purger.runWhen(purgeLeader::lead);
            TombstonePurger tombstones = new TombstonePurger(db, context.devices(),
                    new org.castellan.server.recovery.SqlRecoveryKeyStore(), context.audit(), config.deletedRetention(),
                    clock);
            JobLeader tombstoneLeader = JobLeader.of(db, "tombstone-purge");
            tombstones.runWhen(tombstoneLeader::lead);
            SsoLoginPurger ssoLogins = new SsoLoginPurger(db, new org.castellan.server.sso.SqlSsoStore(), clock);
            JobLeader ssoLoginLeader = JobLeader.of(db, "sso-login-purge");
            ssoLogins.runWhen(ssoLoginLeader::lead);
            DeviceGroupMatchFill groupMatches = context.groupMatchFill();
            JobLeader groupMatchLeader = JobLeader.of(db, "group-match-fill");
            groupMatches.runWhen(groupMatchLeader::lead);
            NoncePurger nonces = built.noncePurger();
            JobLeader nonceLeader = JobLeader.of(db, "nonce-purge");
            nonces.runWhen(nonceLeader::lead);
            RetentionJob retention = new RetentionJob(List.of(
                    new RetentionJob.Purge("history", purger::purgeIfLeader, PURGE_EVERY),
                    new RetentionJob.Purge("tombstones", tombstones::purgeIfLeader, PURGE_EVERY),
                    new RetentionJob.Purge("sso-logins", ssoLogins::purgeIfLeader, PURGE_EVERY),
                    new RetentionJob.Purge("nonces", nonces::purgeIfLeader, NoncePurger.EVERY)));
            chain.bindTo(metrics.registry());
            if (anchor != null) {
                anchor.bindTo(metrics.registry());
            }
            db.bindTo(metrics.registry());
            dispatcher.bindTo(metrics.registry());
            gauges = new PeriodicGauges(db, context.devices(), context.outbox(), clock, metrics.registry());
            gauges.start();
            built.app().start();
            // Undelivered notifications from before a restart go out now: the outbox is durable.
            dispatcher.start();
            retention.start();
            chain.start();
            built.anonymousDenials().start();
            if (sharedAnchor != null) {
                sharedAnchor.start();
            }
            intake.start();
            groupMatches.start();
            return new CastellanServer(built.app(), db, tls, token, built.routes(), config, dispatcher, purger,
                    tombstones, retention, chain, built.anonymousDenials(), anchor, gauges, sharedAnchor,
                    List.of(webhookLeader, purgeLeader, tombstoneLeader, ssoLoginLeader, nonceLeader, groupMatchLeader),
                    intake, ssoLogins, nonces, groupMatches);
        } catch (RuntimeException | IOException e) {
            if (gauges != null) {
                gauges.stop();
            }
            if (shared == null) {
                db.close();
            }
            if (anchor != null) {
                anchor.close();
            }
            throw e;
        }
    }

    public int port() {
        return app.port();
    }

    public String host() {
        return config.listen().urlHost();
    }

    public String url() {
        return "https://" + host() + ":" + port();
    }

    public String fingerprint() {
        return tls.fingerprint();
    }

    /** The bootstrap admin token, present only on the first start. */
    public Optional<String> initialAdminToken() {
        return initialAdminToken;
    }

    /** The routes as registered, each with its guard. */
    public List<RouteTable.Route> routes() {
        return routes;
    }

    /** The HTTP routes as Javalin itself holds them, each with the guard it carries (null: none). */
    public List<RouteTable.Route> servedRoutes() {
        return RouteTable.served(app);
    }

    /** Write units the database writer has run since start: how many trips through it requests made. */
    public long writeUnits() {
        return db.writeBatchesAndUnits()[1];
    }

    /** Deletes old password history now (also runs every {@link #PURGE_EVERY}); returns how many were deleted. */
    public int purgeHistory() {
        return purger.purge();
    }

    /**
     * Purges now what the retention period no longer keeps (deleted devices, recovery keys of removed
     * volumes; also runs every {@link #PURGE_EVERY}); returns how many devices and keys went.
     */
    public int purgeDeleted() {
        return tombstones.purge();
    }

    /**
     * Writes now the coalesced rows of refused requests without a credential (also written once
     * their window has ended, and at stop); returns how many rows.
     */
    public int flushAnonymousDenials() {
        return anonymousDenials.flush(true);
    }

    /**
     * The scheduled purge of agent requests' nonces too old to be accepted again (every
     * {@link NoncePurger#EVERY}), run now; returns how many went, -1 when another node runs it.
     */
    public int purgeStaleNoncesAsScheduled() {
        return nonces.purgeIfLeader();
    }

    /** Fills now every device group's match rows still being filled; returns how many writes it took. */
    public int fillGroupMatches() {
        return groupMatches.fillAll();
    }

    /** The scheduled purge of finished single sign-on attempts, run now: -1 when another node runs it. */
    public int purgeSsoLoginsAsScheduled() {
        return ssoLogins.purgeIfLeader();
    }

    /** The scheduled tombstone purge's run now: -1 when another node (sharing the database) runs it. */
    public int purgeDeletedAsScheduled() {
        return tombstones.purgeIfLeader();
    }

    /** The scheduled purge's run now: -1 when another node (sharing the database) runs the purge. */
    public int purgeHistoryAsScheduled() {
        return purger.purgeIfLeader();
    }

    /** Which database this node uses. */
    public Database database() {
        return db;
    }

    /** Runs the background audit chain check to the end of a whole pass now, and returns what it found. */
    public ChainWatch.Status verifyAuditChainNow() {
        return chain.verifyNow();
    }

    /** Moves the audit events command-line tools queued into the log now (also runs every {@link AuditIntake#EVERY}). */
    public int drainToolAuditNow() {
        return intake.drain();
    }

    /** The /metrics token from the configured file (the file is checked for private modes at start). */
    private static String metricsToken(ServerConfig config) throws IOException {
        if (config.metricsTokenFile() == null) {
            return null;
        }
        String token = java.nio.file.Files.readString(config.metricsTokenFile(), java.nio.charset.StandardCharsets.UTF_8)
                .strip();
        if (token.length() < 16) {
            throw new IOException("metrics token file " + config.metricsTokenFile() + " must hold a token of at least 16 characters");
        }
        return token;
    }

    /** Requests inside the handler right now: the ones a stop waits for. */
    public long requestsInFlight() {
        GracefulHandler graceful = graceful();
        return graceful == null ? 0 : graceful.getCurrentRequestCount();
    }

    /** True once a stop has begun draining: new requests are refused, in-flight ones finish. */
    public boolean draining() {
        GracefulHandler graceful = graceful();
        return graceful != null && graceful.isShutdown();
    }

    private GracefulHandler graceful() {
        return app.jettyServer().server().getDescendant(GracefulHandler.class);
    }

    /**
     * Stops accepting, lets in-flight requests finish, stops the webhook dispatcher and the purge
     * (what is undelivered stays queued), then closes the database.
     */
    public void stop() {
        try {
            app.stop();
        } finally {
            try {
                anonymousDenials.stop();
                chain.stop();
                gauges.stop();
                intake.stop();
                dispatcher.stop();
                retention.stop();
                groupMatches.stop();
                leaders.forEach(JobLeader::close);
                if (sharedAnchor != null) {
                    sharedAnchor.close();
                }
            } finally {
                try {
                    db.close();
                } finally {
                    if (anchor != null) {
                        anchor.close(); // after the last commit: the anchor ends exactly at the log's end
                    }
                }
            }
        }
    }

    /** Recomputes the periodic gauges of /metrics now (devices by last check-in, webhook queue depth). */
    public void refreshMetrics() {
        gauges.refresh();
    }

    /** Waits until the audit head anchor holds every entry committed so far (it follows commits in the background). */
    public boolean awaitAuditAnchored() throws InterruptedException {
        if (anchor == null) {
            return true; // PostgreSQL: the chain head row moves in each append's own transaction
        }
        return anchor.awaitAnchored();
    }

    @Override
    public void close() {
        stop();
    }
}
