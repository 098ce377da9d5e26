package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.castellan.api.CreatedSession;
import org.castellan.cli.CliException;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.ApiResponse;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import org.castellan.cli.http.SecretJsonBody;
import org.castellan.protocol.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code castellan login --name N}: trades a user name and password for a 12-hour session token,
 * printed alone on stdout ({@code castellan login --name ann > ~/.castellan-token}). Sends no API
 * token and reads none, so standard input is free for the password.
 */
@Command(name = "login", description = {"Sign in with a user name and password; prints a 12-hour session token"
        + " alone on stdout.", "The password is read from standard input (--password-stdin) or asked for on the"
        + " terminal. Repeated failures lock the name out for a while (the wait is printed)."})
public final class LoginCommand extends ApiCommand {
    /** {@code POST /sessions}'s answer. */

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Your user name.")
    String name;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Override
    protected boolean needsToken() {
        return false;
    }

    @Override
    protected void validate(Host host) {
        if (!passwordStdin && !host.interactive()) {
            throw new ParameterException(spec.commandLine(), "no terminal to ask for the password on: pipe it in with"
                    + " --password-stdin");
        }
    }

    @Override
    protected void run(Session session) {
        String context = "log in as " + name;
        ObjectNode fields = LenientJson.mapper().createObjectNode().put("name", name);
        ApiResponse response;
        try (Secret password = passwordStdin ? SecretInput.fromStdin(session.host(), "password")
                : SecretInput.prompt(session.host(), "password for " + name, false, "--password-stdin")) {
            response = session.api().postSecret(context, Endpoint.of("sessions"), new SecretJsonBody(fields).secret("password", password));
        }
        try {
            if (session.output().json()) {
                session.output().printJson(response.tree());
                return;
            }
            CreatedSession created = response.read(CreatedSession.class);
            if (created.token() == null) {
                throw new CliException(CliException.FAILED, context + ": the server's answer holds no token");
            }
            try {
                session.output().printSecret(created.token());
            } finally {
                created.token().close();
            }
            session.output().note("logged in as " + name + "; the session token expires "
                    + (created.expiresAt() == null ? "when the server decides" : "at " + created.expiresAt()));
        } finally {
            response.wipe();
        }
    }
}
