package org.castellan.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.castellan.protocol.Json;
import org.castellan.server.db.Database;

/**
 * The operator's explicit, audited re-anchoring of a log that {@link AnchorRule} refuses to serve
 * (server stopped). It needs an intact chain; it first appends an {@value #ACTION} entry (principal
 * {@code system}, the operator's reason, and in {@code detail} who ran it, what the anchor was and
 * where the log ended), then anchors the log at that entry. So the reset itself stays in the log,
 * chained, for anyone who reads it later.
 */
public final class Reanchor {
    public static final String ACTION = "audit.re-anchor";

    private Reanchor() {}

    /** @param was what the anchor was before, for the operator; {@code head} the new anchored end */
    public record Outcome(String was, AuditHead head) {}

    public static Outcome run(Database db, Path dataDir, String reason, Clock clock, SecureRandom random)
            throws IOException {
        AuditVerifier.Result chain = db.read(c -> new AuditVerifier(new SqlAuditLog(clock)).verify(c));
        if (chain.firstBroken().isPresent()) {
            AuditVerifier.Broken broken = chain.firstBroken().get();
            throw new AuditAnchorException("the audit log is BROKEN at entry " + broken.id() + " (" + broken.problem()
                    + "); re-anchoring needs an intact chain");
        }
        HeadAnchorFile file = new HeadAnchorFile(dataDir);
        AnchorRule.Found found = file.find();
        String was;
        if (found instanceof AnchorRule.Found.Head h) {
            was = "entry " + h.head().id() + " " + h.head().hash() + ", " + h.head().count() + " entries";
        } else if (found instanceof AnchorRule.Found.Unusable u) {
            was = "unusable: " + u.problem();
        } else {
            was = "no anchor";
        }
        AuditHead before = chain.end();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("operator", System.getProperty("user.name"));
        detail.put("anchorWas", was);
        detail.put("logEndedAt", Map.of("id", before.id(), "hash", before.hash(), "count", before.count()));
        String detailJson;
        try {
            detailJson = Json.mapper().writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the re-anchor detail", e);
        }
        if (db.shared()) {
            return new Outcome(was, shared(db, file, before, reason, detailJson, clock, random));
        }
        db.write(c -> {
            new SqlAuditLog(clock).append(c, AuditEvent.of("system", ACTION, "granted", null, null)
                    .withReason(reason).withDetail(detailJson));
            return null;
        });
        AuditHead head = db.read(SqlAuditLog::head);
        if (!file.keyExists()) {
            file.createKey(random);
        } else if (!file.keyUsable()) {
            // A key that cannot be read or has the wrong size is set aside (kept for investigation).
            Files.move(file.keyPath(), file.keyPath().resolveSibling(HeadAnchorFile.KEY + ".unusable-"
                    + clock.instant().getEpochSecond()), StandardCopyOption.REPLACE_EXISTING);
            file.createKey(random);
        }
        file.write(head);
        return new Outcome(was, head);
    }

    /**
     * PostgreSQL: in one transaction, the chain head row is set to the log's end and the re-anchor
     * entry appended onto it; then this node's witness. (The other nodes' witnesses still record the
     * old log: remove their {@code DIR/audit/head} before starting them, see docs/postgresql.md.)
     */
    private static AuditHead shared(Database db, HeadAnchorFile file, AuditHead end, String reason, String detailJson,
                                    Clock clock, SecureRandom random) throws IOException {
        if (file.keyExists() && !file.keyUsable()) {
            Files.move(file.keyPath(), file.keyPath().resolveSibling(HeadAnchorFile.KEY + ".unusable-"
                    + clock.instant().getEpochSecond()), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!file.keyExists()) {
            file.createKey(random);
        }
        SharedChainHead head = new SharedChainHead(file, clock);
        db.write(c -> {
            head.put(c, end);
            new SqlAuditLog(clock, head).append(c, AuditEvent.of("system", ACTION, "granted", null, null)
                    .withReason(reason).withDetail(detailJson));
            return null;
        });
        AuditHead now = db.read(SqlAuditLog::head);
        Files.deleteIfExists(file.headPath());
        file.write(now);
        return now;
    }
}
