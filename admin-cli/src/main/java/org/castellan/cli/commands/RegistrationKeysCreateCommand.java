package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.castellan.cli.CliException;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.ApiResponse;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code castellan registration-keys create}: prints the new key alone on stdout (the server shows
 * it once) and the details plus that warning on stderr.
 */
@Command(name = "create", description = {"Create a registration key. The key is printed alone on stdout, once:"
        + " the server keeps only its hash."})
final class RegistrationKeysCreateCommand extends ApiCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the key is for, e.g. 'office laptops'.")
    String name;

    @Option(names = "--max-uses", paramLabel = "N", description = "How many devices may register with it (default: no limit).")
    Integer maxUses;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ExpiryChoice expiry;

    @Option(names = "--group", paramLabel = "GROUP", description = "Device group that devices registering with the key join.")
    String group;

    static final class ExpiryChoice {
        @Option(names = "--expires-at", paramLabel = "ISO",
                description = "When the key stops working: 2026-12-31T18:00:00Z, or a date (midnight UTC).")
        String at;

        @Option(names = "--expires-in", paramLabel = "DURATION", description = "Key lifetime from now: 30m, 12h, 7d, 2w or P7D.")
        String in;
    }

    private Instant expiresAt;

    @Override
    protected void validate(Host host) {
        if (maxUses != null && maxUses < 1) {
            throw new ParameterException(spec.commandLine(), "--max-uses must be at least 1");
        }
        expiresAt = expiresAt(host);
    }

    @Override
    protected void run(Session session) {
        ObjectNode body = LenientJson.mapper().createObjectNode();
        body.put("name", name);
        if (maxUses != null) {
            body.put("maxUses", maxUses);
        }
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        if (group != null) {
            body.put("group", group);
        }
        ApiResponse response = session.api().post("create registration key '" + name + "'", Endpoint.of("registration-keys"), body);
        try {
            if (session.output().json()) {
                session.output().printJson(response.tree());
                return;
            }
            CreatedRegistrationKey created = response.read(CreatedRegistrationKey.class);
            if (created.key() == null) {
                throw new CliException(CliException.FAILED, "create registration key '" + name
                        + "': the server's answer holds no key");
            }
            try {
                session.output().printSecret(created.key());
            } finally {
                created.key().close();
            }
            session.output().note("created registration key '" + created.name() + "' (id " + created.id()
                    + ", max uses " + (created.maxUses() == null ? "unlimited" : created.maxUses())
                    + ", expires " + (created.expiresAt() == null ? "never" : created.expiresAt()) + ")");
            session.output().warn("the key is shown only this once; store it now (pass it to"
                    + " castellan-agent register --registration-key)");
        } finally {
            response.wipe();
        }
    }

    private Instant expiresAt(Host host) {
        if (expiry == null) {
            return null;
        }
        try {
            return expiry.at != null ? Expiry.at(expiry.at) : Expiry.in(expiry.in, host.clock());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), (expiry.at != null ? "--expires-at: " : "--expires-in: ")
                    + e.getMessage());
        }
    }
}
