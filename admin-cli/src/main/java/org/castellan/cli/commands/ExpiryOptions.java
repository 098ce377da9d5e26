package org.castellan.cli.commands;

import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --expires-at ISO | --expires-in DURATION}, used as an exclusive {@code @ArgGroup}. */
final class ExpiryOptions {
    @Option(names = "--expires-at", paramLabel = "ISO",
            description = "When it stops working: 2026-12-31T18:00:00Z, or a date (midnight UTC).")
    String at;

    @Option(names = "--expires-in", paramLabel = "DURATION", description = "Lifetime from now: 30m, 12h, 7d, 2w or P7D.")
    String in;

    /** The expiry instant; null when {@code options} is null (neither flag given). Bad values are usage errors. */
    static Instant resolve(ExpiryOptions options, CommandSpec spec, Clock clock) {
        if (options == null) {
            return null;
        }
        try {
            return options.at != null ? Expiry.at(options.at) : Expiry.in(options.in, clock);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), (options.at != null ? "--expires-at: " : "--expires-in: ")
                    + e.getMessage());
        }
    }
}
