package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.castellan.api.CreatedToken;
import org.castellan.cli.CliException;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.ApiResponse;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import org.castellan.protocol.Secret;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code castellan tokens create --user ID --name N}: prints the token alone on stdout, once. */
@Command(name = "create", description = {"Create an API token for a user. The token is printed alone on stdout,"
        + " once: the server keeps only its hash."})
final class TokensCreateCommand extends ApiCommand {
    /** {@code POST /users/{id}/tokens}'s answer; the token is in it once and only once. */

    @Option(names = "--user", required = true, paramLabel = "NAME|ID", description = "The user the token acts as.")
    String user;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the token is for, e.g. 'backup script'.")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ExpiryOptions expiry;

    private Instant expiresAt;

    @Override
    protected void validate(Host host) {
        expiresAt = ExpiryOptions.resolve(expiry, spec, host.clock());
    }

    @Override
    protected void run(Session session) {
        String context = "create token '" + name + "' for user " + user;
        ObjectNode body = LenientJson.mapper().createObjectNode().put("name", name);
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        ApiResponse response = session.api().post(context, Endpoint.of("users", Refs.id(session, Refs.Kind.USER, user), "tokens"), body);
        try {
            if (session.output().json()) {
                session.output().printJson(response.tree());
                return;
            }
            CreatedToken created = response.read(CreatedToken.class);
            if (created.token() == null) {
                throw new CliException(CliException.FAILED, context + ": the server's answer holds no token");
            }
            try {
                session.output().printSecret(created.token());
            } finally {
                created.token().close();
            }
            session.output().note("created token '" + created.name() + "' (id " + created.id() + ", expires "
                    + (created.expiresAt() == null ? "never" : created.expiresAt()) + ")");
            session.output().warn("the token is shown only this once; store it now (in a file only you can read,"
                    + " for --token-file)");
        } finally {
            response.wipe();
        }
    }
}
