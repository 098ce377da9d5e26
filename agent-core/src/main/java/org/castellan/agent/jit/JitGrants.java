package org.castellan.agent.jit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.castellan.agent.AgentException;
import org.castellan.agent.spi.AdminRights;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.messages.JitGrant;
import org.castellan.protocol.messages.JitReport;

/**
 * The device's just-in-time admin rights: what it holds, until when, and what it has yet to tell
 * the server. The expiry lives in the state directory ({@link JitStore}), so {@link #sweep}
 * revokes an expired grant at agent start, on every loop or timer run, and at the expiry instant
 * of a running agent, with or without the server. The server's list at each check-in
 * ({@link #apply}) adds new grants and revokes the ones it no longer lists.
 *
 * <p>Several grants for one user are one right on the OS, ending at the latest of their ends; it
 * is taken back when the last of them ends. A user who already was an administrator by other
 * means is left one.
 */
public final class JitGrants {
    static final int MAX_REPORTS = 50;
    private final JitStore store;
    private final AdminRights rights;
    private final Clock clock;

    public JitGrants(JitStore store, AdminRights rights, Clock clock) {
        this.store = store;
        this.rights = rights;
        this.clock = clock;
    }

    /** Revokes every grant at or past its end. */
    public void sweep() throws AgentException {
        JitFile file = store.load();
        Instant now = clock.instant();
        List<HeldGrant> expired = file.grants().stream().filter(g -> !now.isBefore(g.notAfter())).toList();
        if (!expired.isEmpty()) {
            store.save(end(file, expired, now));
        }
    }

    /**
     * The server's list (null from a server without just-in-time rights: then only {@link #sweep}).
     * Grants it no longer lists are revoked; new ones are recorded, then granted.
     */
    public void apply(List<JitGrant> wanted) throws AgentException {
        sweep();
        if (wanted == null) {
            return;
        }
        JitFile file = store.load();
        Instant now = clock.instant();
        Set<String> wantedIds = new HashSet<>();
        wanted.forEach(w -> wantedIds.add(w.id()));
        List<HeldGrant> gone = file.grants().stream().filter(g -> !wantedIds.contains(g.id())).toList();
        if (!gone.isEmpty()) {
            file = end(file, gone, now);
            store.save(file);
        }
        Set<String> held = new HashSet<>();
        file.grants().forEach(g -> held.add(g.id()));
        for (JitGrant w : wanted) {
            if (w.id() == null || w.user() == null || w.notAfter() == null || held.contains(w.id())
                    || !now.isBefore(w.notAfter())) {
                continue;
            }
            file = give(file, w, now);
            store.save(file);
        }
    }

    /** The reports not yet delivered, oldest first. */
    public List<JitReport> unsent() throws AgentException {
        return store.load().reports();
    }

    /** The server took these reports: they are dropped. */
    public void delivered(List<JitReport> sent) throws AgentException {
        if (sent.isEmpty()) {
            return;
        }
        JitFile file = store.load();
        List<JitReport> left = new ArrayList<>(file.reports());
        left.removeAll(sent);
        store.save(new JitFile(file.grants(), left));
    }

    /** When the next held grant ends, if any: a running agent sweeps then. */
    public Optional<Instant> nextExpiry() throws AgentException {
        return store.load().grants().stream().map(HeldGrant::notAfter).min(Instant::compareTo);
    }

    public List<HeldGrant> held() throws AgentException {
        return store.load().grants();
    }

    /** Records the grant first (a crash after the OS change still leaves its end on record), then grants. */
    private JitFile give(JitFile file, JitGrant w, Instant now) throws AgentException {
        List<HeldGrant> grants = new ArrayList<>(file.grants());
        HeldGrant provisional = new HeldGrant(w.id(), w.user(), w.notAfter(), now, true);
        grants.add(provisional);
        store.save(new JitFile(grants, file.reports()));
        Instant until = latestEnd(grants, w.user());
        List<JitReport> reports = new ArrayList<>(file.reports());
        try {
            boolean owned = rights.grant(w.user(), until) || ownedBefore(file.grants(), w.user());
            grants.set(grants.size() - 1, new HeldGrant(w.id(), w.user(), w.notAfter(), now, owned));
            add(reports, new JitReport(w.id(), JitReport.GRANTED, now, owned ? null
                    : "the user already was an administrator; left as it was at the end"));
        } catch (PlatformException e) {
            grants.remove(grants.size() - 1);
            add(reports, new JitReport(w.id(), JitReport.FAILED, now, detail(e)));
        }
        return new JitFile(grants, reports);
    }

    /**
     * Ends {@code ending}: per user, the right is taken back when none of that user's grants
     * remains (and one of them made the user an administrator), or shortened to the remaining ones'
     * end. A revoke that fails keeps the grants, so the next sweep tries again.
     */
    private JitFile end(JitFile file, List<HeldGrant> ending, Instant now) {
        List<HeldGrant> grants = new ArrayList<>(file.grants());
        List<JitReport> reports = new ArrayList<>(file.reports());
        Set<String> users = new LinkedHashSet<>();
        ending.forEach(g -> users.add(g.user()));
        for (String user : users) {
            List<HeldGrant> endingForUser = ending.stream().filter(g -> g.user().equals(user)).toList();
            List<HeldGrant> remaining = grants.stream()
                    .filter(g -> g.user().equals(user) && !endingForUser.contains(g)).toList();
            try {
                if (remaining.isEmpty()) {
                    if (endingForUser.stream().anyMatch(HeldGrant::owned)) {
                        rights.revoke(user);
                    }
                } else {
                    rights.grant(user, latestEnd(remaining, user));
                }
                grants.removeAll(endingForUser);
                for (HeldGrant g : endingForUser) {
                    add(reports, new JitReport(g.id(), now.isBefore(g.notAfter()) ? JitReport.REVOKED
                            : JitReport.EXPIRED, now, null));
                }
            } catch (PlatformException e) {
                for (HeldGrant g : endingForUser) {
                    add(reports, new JitReport(g.id(), JitReport.FAILED, now, "revoke: " + detail(e)));
                }
            }
        }
        return new JitFile(grants, reports);
    }

    private static boolean ownedBefore(List<HeldGrant> grants, String user) {
        return grants.stream().anyMatch(g -> g.user().equals(user) && g.owned());
    }

    private static Instant latestEnd(List<HeldGrant> grants, String user) {
        return grants.stream().filter(g -> g.user().equals(user)).map(HeldGrant::notAfter).max(Instant::compareTo)
                .orElseThrow();
    }

    /** One report per grant, state and detail (a revoke failing on every sweep is reported once); at most 50. */
    private static void add(List<JitReport> reports, JitReport report) {
        boolean known = reports.stream().anyMatch(r -> r.grantId().equals(report.grantId())
                && r.state().equals(report.state()) && java.util.Objects.equals(r.detail(), report.detail()));
        if (!known) {
            reports.add(report);
        }
        while (reports.size() > MAX_REPORTS) {
            reports.remove(0);
        }
    }

    private static String detail(PlatformException e) {
        String text = (e.code() + ": " + e.getMessage()).replaceAll("\\p{Cntrl}", " ");
        return text.length() > 180 ? text.substring(0, 180) : text;
    }
}
