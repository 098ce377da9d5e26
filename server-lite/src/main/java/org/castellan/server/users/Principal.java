package org.castellan.server.users;

/**
 * Who is calling the admin API. {@link #id()} is the principal string rules and the audit log use
 * ({@code user:ID}); the next step adds groups and per-permission rules on top of it.
 */
public record Principal(String userId, String userName, boolean admin, String tokenId) {
    public String id() {
        return "user:" + userId;
    }
}
