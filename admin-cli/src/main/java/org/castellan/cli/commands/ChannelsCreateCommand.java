package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import org.castellan.cli.http.SecretJsonBody;
import org.castellan.protocol.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code castellan channels create NAME --url URL --secret-stdin}: a webhook. Its HMAC secret comes
 * from standard input or a no-echo prompt, never the command line; the server never returns it.
 */
@Command(name = "create", description = {"Create a webhook channel; prints its id alone on stdout.",
        "The signing secret is read from standard input (--secret-stdin) or asked for on the terminal."})
final class ChannelsCreateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Channel name, e.g. security-team.")
    String name;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The webhook's https URL.")
    String url;

    @Option(names = "--secret-stdin", description = "Read the HMAC signing secret from the first line of standard input.")
    boolean secretStdin;

    /** {@code url} when it is an absolute http(s) URL naming a host; null otherwise. */
    private static java.net.URI webhookUrl(String url) {
        try {
            java.net.URI parsed = new java.net.URI(url).parseServerAuthority();
            String scheme = parsed.getScheme();
            boolean web = scheme != null && (scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"));
            return web && parsed.getHost() != null ? parsed : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    @Override
    protected void validate(Host host) {
        java.net.URI parsed = webhookUrl(url);
        if (parsed == null) {
            throw new ParameterException(spec.commandLine(), "--url '" + url + "' is not an http(s) URL");
        }
        if (parsed.getRawUserInfo() != null) {
            // A credential in the URL would be stored and listed in clear: use the signing secret instead.
            throw new ParameterException(spec.commandLine(), "--url must not hold a user name or password");
        }
        if (secretStdin) {
            requireStdinFree("--secret-stdin");
        } else if (!host.interactive()) {
            throw new ParameterException(spec.commandLine(), "no terminal to ask for the secret on: pipe it in with"
                    + " --secret-stdin");
        }
    }

    @Override
    protected void run(Session session) {
        String context = "create channel " + name;
        ObjectNode fields = LenientJson.mapper().createObjectNode().put("name", name).put("type", "webhook").put("url", url);
        try (Secret secret = secretStdin ? SecretInput.fromStdin(session.host(), "channel secret")
                : SecretInput.prompt(session.host(), "channel secret", true, "--secret-stdin")) {
            Show.created(session, context, session.api().postSecret(context, Endpoint.of("channels"),
                    new SecretJsonBody(fields).secret("secret", secret)).tree(), "webhook channel " + name);
        }
    }
}
