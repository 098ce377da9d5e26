package org.castellan.agent.rotation;

/** How an unfinished rotation found at start-up was resolved. */
public enum Recovery {
    /** There was no unfinished rotation. */
    NOTHING_PENDING,
    /** The password had been set; the rotation is now committed. */
    COMMITTED,
    /** The password had not been set; the rotation is now aborted. */
    ABORTED,
    /**
     * The server's answer contradicts the device (it refuses to commit a password the device now
     * uses, or says it committed one the device never set). The journal is cleared and the
     * caller must rotate at once, so that the server again holds the password that works.
     */
    REPAIR_NEEDED,
    /**
     * A password was (or may have been) set but was never proven to authenticate. The rotation is
     * left pending on the server, neither committed nor aborted, so the server reveals both the
     * previous and the pending password; the caller must rotate at once with a password that is
     * proven, whose commit supersedes it.
     */
    UNVERIFIED
}
