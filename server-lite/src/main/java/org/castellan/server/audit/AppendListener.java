package org.castellan.server.audit;

/** Hears each appended entry while its transaction is still open (it may yet roll back). */
@FunctionalInterface
public interface AppendListener {
    AppendListener NONE = (prevHash, id, hash) -> {};

    void appended(String prevHash, long id, String hash);
}
