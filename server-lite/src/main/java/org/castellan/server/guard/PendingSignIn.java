package org.castellan.server.guard;

import org.castellan.server.users.SqlWebSessionStore.WebSession;

/** A sign-in whose password was right and whose second factor is due: the waiting session, and writes as a visitor. */
public record PendingSignIn(WebSession session, Visitor visitor) {}
