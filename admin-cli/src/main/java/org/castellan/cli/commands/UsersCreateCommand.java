package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.castellan.cli.CliException;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import org.castellan.cli.http.SecretJsonBody;
import org.castellan.protocol.Secret;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code castellan users create NAME}: the password comes from standard input
 * ({@code --password-stdin}) or a no-echo prompt, never from the command line; {@code --no-password}
 * makes a user that can only use API tokens.
 */
@Command(name = "create", description = {"Create a user; prints the new user's id alone on stdout.",
        "The password is read from standard input (--password-stdin) or asked for on the terminal, never given"
                + " as an argument; --no-password makes a user that signs in with API tokens only."})
final class UsersCreateCommand extends ApiCommand {
    static final String NAME_PATTERN = "[A-Za-z0-9._@-]{1,64}";
    static final int MIN_PASSWORD_LENGTH = 12;

    @Parameters(index = "0", paramLabel = "NAME", description = "User name: 1 to 64 of A-Z a-z 0-9 . _ @ -")
    String name;

    @Option(names = "--admin", description = "Make the user an administrator (every right, no rules needed).")
    boolean admin;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    PasswordSource source;

    static final class PasswordSource {
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean stdin;

        @Option(names = "--no-password", description = "No password: the user authenticates with API tokens only.")
        boolean none;
    }

    @Override
    protected void validate(Host host) {
        if (!name.matches(NAME_PATTERN)) {
            throw new ParameterException(spec.commandLine(), "user name '" + name
                    + "' must be 1 to 64 of the characters A-Z a-z 0-9 . _ @ -");
        }
        boolean fromStdin = source != null && source.stdin;
        boolean none = source != null && source.none;
        if (fromStdin) {
            requireStdinFree("--password-stdin");
        } else if (!none && !host.interactive()) {
            throw new ParameterException(spec.commandLine(), "no terminal to ask for the password on: pipe it in with"
                    + " --password-stdin, or give --no-password for a token-only user");
        }
    }

    @Override
    protected void run(Session session) {
        String context = "create user " + name;
        ObjectNode fields = LenientJson.mapper().createObjectNode().put("name", name).put("admin", admin);
        JsonNode answer;
        if (source != null && source.none) {
            answer = session.api().post(context, Endpoint.of("users"), fields).tree();
        } else {
            try (Secret password = source != null && source.stdin ? SecretInput.fromStdin(session.host(), "password")
                    : SecretInput.prompt(session.host(), "password for " + name, true, "--password-stdin")) {
                if (password.length() < MIN_PASSWORD_LENGTH) {
                    throw new CliException(CliException.FAILED, context + ": the password must be at least "
                            + MIN_PASSWORD_LENGTH + " characters");
                }
                answer = session.api().postSecret(context, Endpoint.of("users"),
                        new SecretJsonBody(fields).secret("password", password)).tree();
            }
        }
        Show.created(session, context, answer, (admin ? "admin user " : "user ") + name);
    }
}
