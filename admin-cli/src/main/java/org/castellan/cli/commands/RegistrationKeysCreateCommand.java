package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.castellan.api.CreatedRegistrationKey;
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
    ExpiryOptions expiry;

    @Option(names = "--group", paramLabel = "DEVICE_GROUP",
            description = "Device group that devices registering with the key join (repeatable).")
    java.util.List<String> groups = new java.util.ArrayList<>();

    @Option(names = "--require-approval",
            description = "Devices registering with the key wait for devices approve before they may escrow.")
    boolean requireApproval;

    private Instant expiresAt;

    @Override
    protected void validate(Host host) {
        if (maxUses != null && maxUses < 1) {
            throw new ParameterException(spec.commandLine(), "--max-uses must be at least 1");
        }
        expiresAt = ExpiryOptions.resolve(expiry, spec, host.clock());
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
        if (!groups.isEmpty()) {
            Refs.ids(session, Refs.Kind.DEVICE_GROUP, groups).forEach(body.putArray("groups")::add);
        }
        if (requireApproval) {
            body.put("requireApproval", true);
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
            session.output().warn("the key is shown only this once; store it now (agents read it on stdin:"
                    + " castellan-agent register --registration-key -)");
        } finally {
            response.wipe();
        }
    }
}
