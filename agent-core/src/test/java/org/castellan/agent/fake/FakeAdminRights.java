package org.castellan.agent.fake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.castellan.agent.spi.AdminRights;
import org.castellan.agent.spi.PlatformException;

/** Administrators in memory: who holds Castellan's right until when, who was one already, and every call. */
public final class FakeAdminRights implements AdminRights {
    /** Castellan's rights: user → end. */
    public final Map<String, Instant> granted = new LinkedHashMap<>();
    /** Administrators by other means (left alone). */
    public final Set<String> alreadyAdmins = new LinkedHashSet<>();
    public final List<String> calls = new ArrayList<>();
    public PlatformException grantFailure;
    public PlatformException revokeFailure;

    @Override
    public boolean grant(String user, Instant notAfter) throws PlatformException {
        calls.add("grant " + user + " " + notAfter);
        if (grantFailure != null) {
            throw grantFailure;
        }
        if (alreadyAdmins.contains(user)) {
            return false;
        }
        granted.put(user, notAfter);
        return true;
    }

    @Override
    public void revoke(String user) throws PlatformException {
        calls.add("revoke " + user);
        if (revokeFailure != null) {
            throw revokeFailure;
        }
        granted.remove(user);
    }
}
