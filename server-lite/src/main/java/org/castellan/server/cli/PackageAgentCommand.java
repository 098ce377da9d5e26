package org.castellan.server.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.castellan.protocol.tls.Fingerprints;
import org.castellan.server.cli.agentpackage.AgentPackager;
import org.castellan.server.cli.agentpackage.AgentPayload;
import org.castellan.server.cli.agentpackage.PackageSpec;
import org.castellan.server.cli.agentpackage.PackageSpec.PackageType;
import org.castellan.server.cli.agentpackage.PackageSpec.TargetOs;
import org.castellan.server.cli.agentpackage.RegistrationKeyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code package-agent}: an agent package that enrols the machine it is installed on. Works from
 * the files alone (the agent payload shipped with the server, the key file): the server need not
 * run, nor be reachable, where the package is built.
 */
@Command(name = "package-agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Build an agent package (deb, rpm, tar.gz for Linux with its own Java runtime; tar.gz for macOS;"
                    + " msi for Windows) that registers the machine when installed and starts the agent.",
            "The registration key goes into the package, so every copy of the package can use it: keys without"
                    + " an expiry and a maximum number of uses are refused unless --force. The bounds are read"
                    + " from the key file, written with 'castellan registration-keys create --max-uses N"
                    + " --expires-in D -o json > FILE' (a file with the bare key states none). The package is"
                    + " written readable by its owner only (0600); hand it out as you would the key.",
            "Without --server and --registration-key-file, --unconfigured builds the plain package."})
final class PackageAgentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--type", required = true, paramLabel = "deb|rpm|msi|tar.gz", description = "Package type.")
    String type;

    @Option(names = "--os", paramLabel = "linux|macos|windows",
            description = "Target OS (default: windows for msi, else linux; tar.gz also for macos).")
    String os;

    @Option(names = "--server", paramLabel = "URL[,URL...]",
            description = "Server URL(s) the agent registers with, https://host:port; several nodes are tried in order.")
    String servers;

    @Option(names = "--server-fingerprint", paramLabel = "SHA256", description = "The server certificate's SHA-256 fingerprint (pinned).")
    String fingerprint;

    @Option(names = "--registration-key-file", paramLabel = "FILE",
            description = "The registration key: the JSON of 'castellan registration-keys create -o json' (with its bounds), or the bare key.")
    Path keyFile;

    @Option(names = "--force", description = "Package a key without an expiry or a maximum number of uses.")
    boolean force;

    @Option(names = "--mode", paramLabel = "timer|service", defaultValue = "timer",
            description = "timer (default): a timer / launchd StartInterval / scheduled task runs one check-in and exits,"
                    + " nothing stays resident; service: the resident 'run' loop.")
    String mode;

    @Option(names = "--release", paramLabel = "N", defaultValue = "1",
            description = "Package release; give a higher one when packaging the same agent version again (e.g. with a new key).")
    int release;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = ".", description = "Where to write the package (default: .).")
    Path output;

    @Option(names = "--unconfigured", description = "The plain package: no server, no key; the device is registered by hand.")
    boolean unconfigured;

    @Option(names = "--payload", paramLabel = "DIR", description = "The agent payload (default: agent-payload next to the server jar).")
    Path payloadDir;

    @Override
    public Integer call() throws Exception {
        PackageType packageType = packageType();
        TargetOs targetOs;
        try {
            targetOs = AgentPackager.osFor(packageType, os == null ? null : targetOs());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!mode.equals("timer") && !mode.equals("service")) {
            throw new ParameterException(spec.commandLine(), "--mode must be timer or service");
        }
        if (release < 1) {
            throw new ParameterException(spec.commandLine(), "--release must be at least 1");
        }
        List<String> urls = List.of();
        String pinned = null;
        byte[] key = null;
        if (unconfigured) {
            if (servers != null || fingerprint != null || keyFile != null || force) {
                throw new ParameterException(spec.commandLine(), "--unconfigured takes no --server, --server-fingerprint,"
                        + " --registration-key-file or --force");
            }
        } else {
            if (servers == null || fingerprint == null || keyFile == null) {
                throw new ParameterException(spec.commandLine(), "give --server, --server-fingerprint and"
                        + " --registration-key-file (or --unconfigured for the plain package)");
            }
            urls = serverUrls(servers);
            try {
                pinned = Fingerprints.normalize(fingerprint);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--server-fingerprint: " + e.getMessage());
            }
            RegistrationKeyFile read;
            try {
                read = RegistrationKeyFile.read(keyFile);
            } catch (IOException e) {
                System.err.println("castellan-server package-agent: read " + keyFile + ": " + e.getMessage());
                return 2;
            } catch (RegistrationKeyFile.Refused e) {
                System.err.println("castellan-server package-agent: " + e.getMessage());
                return 2;
            }
            try {
                String warning = read.checkBounds(Instant.now(), force);
                if (warning != null) {
                    System.err.println(warning);
                }
            } catch (RegistrationKeyFile.Refused e) {
                read.wipe();
                System.err.println("castellan-server package-agent: " + e.getMessage());
                return 2;
            }
            key = read.key();
        }
        Path built;
        try {
            AgentPayload payload = payloadDir == null ? AgentPayload.besideServerJar() : AgentPayload.at(payloadDir);
            built = new AgentPackager(payload).build(new PackageSpec(packageType, targetOs, urls, pinned, key, mode, release),
                    output);
        } catch (IOException e) {
            System.err.println("castellan-server package-agent: " + e.getMessage());
            return 1;
        } finally {
            if (key != null) {
                java.util.Arrays.fill(key, (byte) 0);
            }
        }
        System.out.println(built.toAbsolutePath().normalize());
        return 0;
    }

    private PackageType packageType() {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "deb" -> PackageType.DEB;
            case "rpm" -> PackageType.RPM;
            case "msi" -> PackageType.MSI;
            case "tar.gz", "tgz" -> PackageType.TAR_GZ;
            default -> throw new ParameterException(spec.commandLine(), "--type must be deb, rpm, msi or tar.gz");
        };
    }

    private TargetOs targetOs() {
        return switch (os.toLowerCase(Locale.ROOT)) {
            case "linux" -> TargetOs.LINUX;
            case "macos" -> TargetOs.MACOS;
            case "windows" -> TargetOs.WINDOWS;
            default -> throw new ParameterException(spec.commandLine(), "--os must be linux, macos or windows");
        };
    }

    /** Each URL {@code https://host[:port]}, no path; normalized as the agent does. */
    private List<String> serverUrls(String list) {
        List<String> urls = new ArrayList<>();
        for (String one : list.split(",", -1)) {
            URI uri;
            try {
                uri = new URI(one.strip());
            } catch (URISyntaxException e) {
                throw new ParameterException(spec.commandLine(), "--server: '" + one.strip() + "' is not a URL");
            }
            String path = uri.getRawPath();
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null
                    || uri.getUserInfo() != null || (path != null && !path.isEmpty() && !path.equals("/"))) {
                throw new ParameterException(spec.commandLine(), "--server: '" + one.strip() + "' must be https://host[:port]");
            }
            String url = "https://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            if (urls.contains(url)) {
                throw new ParameterException(spec.commandLine(), "--server names " + url + " twice");
            }
            urls.add(url);
        }
        return urls;
    }
}
