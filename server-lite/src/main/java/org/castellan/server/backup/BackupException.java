package org.castellan.server.backup;

import java.io.IOException;

/** A backup or restore that cannot go on; the message is meant for the operator and holds no secret. */
public class BackupException extends IOException {
    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The passphrase does not open this backup. */
    public static final class WrongPassphrase extends BackupException {
        public WrongPassphrase() {
            super("wrong recovery passphrase: it does not open this backup (nothing was written)");
        }
    }
}
