package org.castellan.cli.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.castellan.cli.CliException;

/**
 * Turns an I/O failure into a message that says what went wrong and what to try: in particular,
 * whether TLS failed because the certificate did not match the pinned fingerprint.
 */
final class ConnectionFailures {
    private ConnectionFailures() {}

    static CliException describe(String context, ServerUrl server, boolean pinned, IOException failure) {
        String where = server.origin();
        CertificateException certificate = find(failure, CertificateException.class);
        if (pinned && certificate != null) {
            return new CliException(CliException.CONNECTION, context + ": TLS failure: the server's certificate does not match"
                    + " the pinned fingerprint (--server-fingerprint): " + certificate.getMessage()
                    + "; check that you are talking to the right server before trusting a new fingerprint", failure);
        }
        if (failure instanceof SSLPeerUnverifiedException || isHostnameMismatch(certificate)) {
            return new CliException(CliException.CONNECTION, context + ": TLS failure: the certificate of " + where
                    + " is not valid for host " + server.host() + ": " + failure.getMessage(), failure);
        }
        if (find(failure, SSLException.class) != null || certificate != null) {
            String hint = pinned ? "" : "; if the server uses the self-signed certificate it made at first start,"
                    + " pass --server-fingerprint with the SHA-256 fingerprint it printed";
            return new CliException(CliException.CONNECTION, context + ": TLS failure talking to " + where + ": "
                    + rootMessage(failure) + hint, failure);
        }
        if (find(failure, UnknownHostException.class) != null) {
            return new CliException(CliException.CONNECTION, context + ": cannot resolve host " + server.host(), failure);
        }
        if (find(failure, ConnectException.class) != null || find(failure, NoRouteToHostException.class) != null) {
            return new CliException(CliException.CONNECTION, context + ": cannot connect to " + where + ": "
                    + rootMessage(failure), failure);
        }
        if (failure instanceof InterruptedIOException) {
            return new CliException(CliException.CONNECTION, context + ": timed out talking to " + where, failure);
        }
        return new CliException(CliException.CONNECTION, context + ": connection to " + where + " failed: "
                + rootMessage(failure), failure);
    }

    /**
     * The JDK checks the name during the handshake and reports a mismatch as a certificate failure
     * (its {@code HostnameChecker} messages); anything else wrong with the chain reads differently.
     */
    private static boolean isHostnameMismatch(CertificateException certificate) {
        String message = certificate == null ? null : certificate.getMessage();
        return message != null && (message.startsWith("No subject alternative") || message.startsWith("No name matching"));
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
