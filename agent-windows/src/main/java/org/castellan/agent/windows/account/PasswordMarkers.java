package org.castellan.agent.windows.account;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * Builds {@code passwordMarker} values: something that changes exactly when the password changes.
 *
 * <p>Windows keeps the exact password-last-set time (a FILETIME) in the SAM, but the documented
 * API (NetUserGetInfo) only gives {@code usri1_password_age}, whole seconds counted from "now".
 * "now − age" jitters by about a second between two reads; rounding it to a grid does not make it
 * stable, because a value near a grid line still flips. A marker that differs when the password did
 * not change would make crash recovery commit a password that was never set (or the reverse), so:
 *
 * <ol>
 *   <li>When the agent runs as SYSTEM it reads the exact FILETIME from the SAM ({@code sam:} marker),
 *       after checking it against the documented age (within {@link #SAM_AGREEMENT_SECONDS}), so a
 *       misread SAM layout is never trusted.
 *   <li>Otherwise it falls back to "now − age" rounded down to {@link #AGE_GRID_SECONDS}
 *       ({@code age:} marker). A 60-second grid keeps the chance of a spurious flip near 2 % of
 *       an already rare crash-recovery, and a real change is still seen because rotations are
 *       minutes apart (two rotations inside one minute would not be told apart; documented risk).
 * </ol>
 */
public final class PasswordMarkers {
    static final long AGE_GRID_SECONDS = 60;
    static final long SAM_AGREEMENT_SECONDS = 5;
    /** 100-ns intervals between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
    static final long FILETIME_UNIX_EPOCH = 116_444_736_000_000_000L;

    private PasswordMarkers() {}

    public static String marker(OptionalLong samFiletime, long passwordAgeSeconds, Instant now) {
        long estimatedEpochSecond = now.getEpochSecond() - passwordAgeSeconds;
        if (samFiletime.isPresent()) {
            long samEpochSecond = Math.floorDiv(samFiletime.getAsLong() - FILETIME_UNIX_EPOCH, 10_000_000L);
            if (Math.abs(samEpochSecond - estimatedEpochSecond) <= SAM_AGREEMENT_SECONDS) {
                return "sam:" + samFiletime.getAsLong();
            }
        }
        return "age:" + Math.floorDiv(estimatedEpochSecond, AGE_GRID_SECONDS) * AGE_GRID_SECONDS;
    }
}
