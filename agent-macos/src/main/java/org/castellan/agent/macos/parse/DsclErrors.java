package org.castellan.agent.macos.parse;

import java.util.Locale;
import java.util.Optional;

/**
 * Finds the failure in a {@code dscl} interactive session. In interactive mode dscl exits 0 even
 * when a command failed; it reports on stderr ({@code <dscl_cmd> DS Error: -14165
 * (eDSAuthPasswordQualityCheckFailed)}, {@code <main> attribute status: eDSRecordNotFound}) and
 * sometimes stdout ({@code passwd: DS error: eDSAuthFailed}). Every such line is a failure.
 */
public final class DsclErrors {
    private DsclErrors() {}

    /** The first line that reports a failure, if any. */
    public static Optional<String> firstError(String output) {
        for (String line : output.split("\\R")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.contains("error")
                    || lower.contains("status:")
                    || lower.contains("too few parameters")
                    || lower.startsWith("usage:")
                    || lower.contains("is not valid")
                    || lower.contains("invalid path")) {
                return Optional.of(line.strip());
            }
        }
        return Optional.empty();
    }
}
