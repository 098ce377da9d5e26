package org.castellan.server.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How every reveal (password, password history, recovery keys by device and by key id) hands out
 * secrets. Its transaction reads the sealed rows and puts the read on record
 * ({@link org.castellan.server.guard.DeviceGrant#use}, {@link org.castellan.server.guard.DeviceSearch#record}).
 * The rows come back from it still sealed, and their envelopes are opened here, after the
 * transaction has committed durably, on the request's thread. Never inside it: on SQLite the
 * transaction runs on the one writer thread that every write of the server waits for, and an HPKE
 * open there held them all up (issue 11). That rule is kept for every open of the server in one
 * place, {@link org.castellan.server.vault.EnvelopeOpens}, which refuses inside a write
 * transaction; what is particular to reveals is the order: nothing is opened unless its read is on
 * record, so a reveal whose audit row cannot be written (503) has opened nothing.
 */
final class Reveals {
    private Reveals() {}

    /**
     * Opens each sealed row in turn ({@code open}, which decrypts). When one does not open, the
     * secrets opened so far are wiped and the failure goes on. The caller wipes what is returned.
     */
    static <S, R> List<R> openEach(List<S> sealed, Function<S, R> open, Consumer<R> wipe) {
        List<R> opened = new ArrayList<>(sealed.size());
        try {
            for (S row : sealed) {
                opened.add(open.apply(row));
            }
            return opened;
        } catch (RuntimeException e) {
            opened.forEach(wipe);
            throw e;
        }
    }
}
