package org.castellan.server.access;

import java.util.Objects;

/** Who a rule grants to: {@code user:ID} or {@code user-group:ID}. */
public record PrincipalRef(Kind kind, String id) {
    public enum Kind {
        USER("user"), USER_GROUP("user-group");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    public PrincipalRef {
        Objects.requireNonNull(kind, "kind");
        Refs.requireId(id, kind.prefix);
    }

    public static PrincipalRef user(String id) {
        return new PrincipalRef(Kind.USER, id);
    }

    public static PrincipalRef userGroup(String id) {
        return new PrincipalRef(Kind.USER_GROUP, id);
    }

    /** Parses {@code user:ID} / {@code user-group:ID}; anything else is an IllegalArgumentException. */
    public static PrincipalRef parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("principal is empty; expected user:ID or user-group:ID");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("principal " + Refs.quoteShort(text)
                    + " has no kind; expected user:ID or user-group:ID");
        }
        String prefix = text.substring(0, colon);
        for (Kind kind : Kind.values()) {
            if (kind.prefix.equals(prefix)) {
                return new PrincipalRef(kind, text.substring(colon + 1));
            }
        }
        throw new IllegalArgumentException("principal " + Refs.quoteShort(text)
                + " has unknown kind " + Refs.quoteShort(prefix) + "; expected user or user-group");
    }

    public String wire() {
        return kind.prefix + ":" + id;
    }

    @Override
    public String toString() {
        return wire();
    }
}
