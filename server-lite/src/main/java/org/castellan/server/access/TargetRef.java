package org.castellan.server.access;

import java.util.Objects;

/** What a rule grants over: {@code device:ID}, {@code device-group:ID} or {@code all}. */
public record TargetRef(Kind kind, String id) {
    public enum Kind {
        DEVICE("device"), DEVICE_GROUP("device-group"), ALL("all");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    public static final TargetRef ALL = new TargetRef(Kind.ALL, null);

    public TargetRef {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.ALL) {
            if (id != null) {
                throw new IllegalArgumentException("target all takes no id");
            }
        } else {
            Refs.requireId(id, kind.prefix);
        }
    }

    public static TargetRef device(String id) {
        return new TargetRef(Kind.DEVICE, id);
    }

    public static TargetRef deviceGroup(String id) {
        return new TargetRef(Kind.DEVICE_GROUP, id);
    }

    /** Parses {@code device:ID}, {@code device-group:ID}, {@code all}; anything else throws. */
    public static TargetRef parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("target is empty; expected device:ID, device-group:ID or all");
        }
        if (text.equals("all")) {
            return ALL;
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("target " + Refs.quoteShort(text)
                    + " has no kind; expected device:ID, device-group:ID or all");
        }
        String prefix = text.substring(0, colon);
        if (prefix.equals(Kind.DEVICE.prefix)) {
            return device(text.substring(colon + 1));
        }
        if (prefix.equals(Kind.DEVICE_GROUP.prefix)) {
            return deviceGroup(text.substring(colon + 1));
        }
        throw new IllegalArgumentException("target " + Refs.quoteShort(text) + " has unknown kind "
                + Refs.quoteShort(prefix) + "; expected device, device-group or all");
    }

    public String wire() {
        return kind == Kind.ALL ? "all" : kind.prefix + ":" + id;
    }

    @Override
    public String toString() {
        return wire();
    }
}
