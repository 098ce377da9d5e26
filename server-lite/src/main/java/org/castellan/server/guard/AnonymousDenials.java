package org.castellan.server.guard;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.db.StorageException;
import org.castellan.server.ratelimit.LimitKeys;
import org.castellan.server.ratelimit.RateDecision;
import org.castellan.server.ratelimit.RateWindow;
import org.castellan.server.ratelimit.SlidingWindowLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refusals of requests without a credential (a secret endpoint asked with no or a bad token),
 * audited without letting anyone grow the log at will (issue 8, item 5). Per client address
 * (trusted proxies honoured; IPv6 by /64) and action, in windows of {@link #WINDOW}:
 *
 * <ul>
 *   <li>the first refusal of a window is written at once, as today: {@code count 1};</li>
 *   <li>the rest of the window is counted in memory and written as one row when the window has
 *       ended (a background flush, and at stop): {@code count N}, with the devices named;</li>
 *   <li>beyond {@link #LIMIT} per address the answer is 429 {@code rate-limited} with
 *       {@code Retry-After} instead of 401, and still counted.</li>
 * </ul>
 *
 * So one address costs at most two rows per action and window, and the counts of the rows add up
 * to the requests refused. Past {@link #MAX_TRACKED} addresses in a window, further addresses share
 * one row per action ({@code client_address} null, "from other addresses"). A crash loses at most
 * the counts of the windows not yet flushed. Authenticated principals are not handled here: each
 * of their refusals keeps its own row.
 */
public final class AnonymousDenials {
    public static final Duration WINDOW = Duration.ofMinutes(1);
    public static final List<RateWindow> LIMIT = List.of(RateWindow.perMinute(60), RateWindow.perHour(600));
    static final int MAX_TRACKED = 10_000;
    private static final int DEVICES_NAMED = 5;
    private static final Logger LOG = LoggerFactory.getLogger(AnonymousDenials.class);

    private record Key(String addressKey, String action, String outcome) {}

    private static final class Tally {
        final Key key;
        final String clientAddress;
        final Instant windowStart;
        final String why;
        long count;
        long rateLimited;
        Instant last;
        final Set<String> devices = new LinkedHashSet<>();
        boolean moreDevices;
        final Set<String> subjects = new LinkedHashSet<>();
        boolean moreSubjects;

        Tally(Key key, String clientAddress, Instant windowStart, String why) {
            this.key = key;
            this.clientAddress = clientAddress;
            this.windowStart = windowStart;
            this.why = why;
        }
    }

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;
    private final SlidingWindowLimiter limiter;
    private final Map<Key, Tally> windows = new LinkedHashMap<>();
    private ScheduledExecutorService flusher;

    public AnonymousDenials(Database db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        this.limiter = new SlidingWindowLimiter(LIMIT, clock);
    }

    /**
     * Records one refusal and says whether the address is over its limit (then answer 429). The
     * first refusal of a window is written before this returns; a storage failure there fails the
     * request (503), as any audit write does.
     */
    RateDecision denied(InetAddress client, String action, String deviceId, String why) {
        RateDecision allowed = limiter.tryAcquire(LimitKeys.address(client));
        count(client, action, "denied", deviceId, null, why, allowed);
        return allowed;
    }

    /**
     * The same coalescing for other refusals without a credential that their own limits already
     * answer (a locked-out login, a rate-limited registration): one row per address, action and
     * window; {@code subject} (a user or host name) is listed in the detail.
     */
    public void refused(InetAddress client, String action, String subject, String why) {
        count(client, action, "refused", null, subject, why, RateDecision.ALLOWED);
    }

    private void count(InetAddress client, String action, String outcome, String deviceId, String subject, String why,
                       RateDecision allowed) {
        Instant now = clock.instant();
        Key key = new Key(LimitKeys.address(client), action, outcome);
        List<Tally> ended = new ArrayList<>();
        boolean first;
        synchronized (this) {
            Tally tally = windows.get(key);
            if (tally != null && !now.isBefore(tally.windowStart.plus(WINDOW))) {
                windows.remove(key);
                ended.add(tally);
                tally = null;
            }
            first = tally == null && windows.size() < MAX_TRACKED;
            if (tally == null) {
                if (first) {
                    windows.put(key, new Tally(key, client.getHostAddress(), now, why));
                } else {
                    tally = windows.computeIfAbsent(new Key("other addresses", action, outcome),
                            k -> new Tally(k, null, now, why));
                }
            }
            if (tally != null) {
                tally.count++;
                tally.last = now;
                if (!allowed.allowed()) {
                    tally.rateLimited++;
                }
                if (deviceId != null && !tally.devices.contains(deviceId)) {
                    if (tally.devices.size() < DEVICES_NAMED) {
                        tally.devices.add(deviceId);
                    } else {
                        tally.moreDevices = true;
                    }
                }
                if (subject != null && !tally.subjects.contains(subject)) {
                    if (tally.subjects.size() < DEVICES_NAMED) {
                        tally.subjects.add(subject);
                    } else {
                        tally.moreSubjects = true;
                    }
                }
            }
        }
        write(ended);
        if (first) {
            String detail = "count 1: " + why + (subject == null ? "" : " for " + subject)
                    + (allowed.allowed() ? "" : "; rate-limited");
            db.write(c -> {
                audit.append(c, new AuditEvent("anonymous", action, outcome, deviceId, null, client.getHostAddress(),
                        detail));
                return null;
            });
        }
    }

    /** Writes the rows of the windows that have ended (all of them when {@code everything}); returns how many. */
    public int flush(boolean everything) {
        Instant now = clock.instant();
        List<Tally> due = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Tally> it = windows.values().iterator(); it.hasNext(); ) {
                Tally t = it.next();
                if (everything || !now.isBefore(t.windowStart.plus(WINDOW))) {
                    it.remove();
                    due.add(t);
                }
            }
        }
        return write(due);
    }

    /** Writes one row per tally; on a storage failure the unwritten ones go back for the next flush. */
    private int write(List<Tally> tallies) {
        int rows = 0;
        for (int i = 0; i < tallies.size(); i++) {
            Tally t = tallies.get(i);
            if (t.count == 0) {
                continue; // only the first refusal, already written
            }
            String devices = t.devices.isEmpty() ? "" : "; devices " + String.join(", ", t.devices)
                    + (t.moreDevices ? " and others" : "");
            String detail = "count " + t.count + " (" + t.windowStart + " to " + t.last + "): " + t.why
                    + (t.subjects.isEmpty() ? "" : " for " + String.join(", ", t.subjects)
                            + (t.moreSubjects ? " and others" : ""))
                    + (t.clientAddress == null ? "; from other addresses" : "") + devices
                    + (t.rateLimited > 0 ? "; " + t.rateLimited + " rate-limited" : "");
            String deviceId = t.devices.size() == 1 && !t.moreDevices ? t.devices.iterator().next() : null;
            try {
                db.write(c -> {
                    audit.append(c, new AuditEvent("anonymous", t.key.action(), t.key.outcome(), deviceId, null,
                            t.clientAddress, detail));
                    return null;
                });
            } catch (RuntimeException e) {
                putBack(tallies.subList(i, tallies.size()));
                throw e;
            }
            rows++;
        }
        return rows;
    }

    private synchronized void putBack(List<Tally> unwritten) {
        for (Tally t : unwritten) {
            Tally newer = windows.get(t.key);
            if (newer == null) {
                windows.put(t.key, t);
            } else {
                // A newer window began meanwhile: fold the old counts into it (nothing is lost).
                newer.count += t.count;
                newer.rateLimited += t.rateLimited;
            }
        }
    }

    public synchronized void start() {
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "castellan-anonymous-denials");
            t.setDaemon(true);
            return t;
        });
        long every = WINDOW.toMillis() / 4;
        flusher.scheduleWithFixedDelay(() -> {
            try {
                flush(false);
            } catch (StorageException e) {
                LOG.warn("anonymous denials not written yet ({}); kept for the next flush", e.toString());
            } catch (RuntimeException e) {
                LOG.warn("anonymous denials flush failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops the background flush and writes what is counted. */
    public void stop() {
        synchronized (this) {
            if (flusher != null) {
                flusher.shutdownNow();
                flusher = null;
            }
        }
        try {
            flush(true);
        } catch (RuntimeException e) {
            LOG.warn("anonymous denials not written at stop: {}", e.toString());
        }
    }
}
