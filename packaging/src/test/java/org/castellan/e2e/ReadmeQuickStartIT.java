package org.castellan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's quick start and "Who may read what", run as pasted: their shell blocks, in order, in
 * one bash ({@code set -euo pipefail}, so an undefined variable or a failing command fails the
 * test) whose working directory holds {@code bin/} of this checkout. It runs as root in a private
 * mount namespace, with a copy of /etc over /etc and an empty /var/lib (the agent's state), as the
 * other end-to-end tests do: the throwaway account the README creates exists only in the copy. The
 * one change made to the text: the README's port 8443 becomes a free port. Blocks marked as needing
 * systemd are skipped here ({@code SystemdContainerIT} runs {@code install-service} under a real one).
 */
class ReadmeQuickStartIT {
    static final List<String> SECTIONS = List.of("Quick start", "Who may read what");
    static final String ACCOUNT = "castellan-demo";

    @BeforeAll
    static void needsSandbox() {
        String why = LinuxSandbox.whyUnavailable();
        Prerequisite.require(why == null, "the chpasswd sandbox (" + why + ")",
                "run as root on Linux with unshare (util-linux), passwd and perl installed");
        Prerequisite.require(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl (the quick start reads the"
                + " server's fingerprint with it)", "apt-get install openssl");
    }

    @Test
    void theQuickStartRunsAsPastedAndRevealsAPasswordThatLogsIn(@TempDir Path tmp) throws Exception {
        Path repo = Processes.jar("castellan.jar").getParent().getParent().getParent();
        List<ReadmeBlocks.Block> blocks = ReadmeBlocks.of(Files.readString(repo.resolve("README.md")), SECTIONS);
        assertThat(blocks).as("README.md has quick-start blocks").hasSizeGreaterThan(5);
        assertThat(blocks).extracting(ReadmeBlocks.Block::kind).contains(ReadmeBlocks.Kind.BACKGROUND_SERVER,
                ReadmeBlocks.Kind.STOP_SERVER, ReadmeBlocks.Kind.SYSTEMD);

        LinuxSandbox sandbox = LinuxSandbox.create(tmp);
        Path work = Files.createDirectory(tmp.resolve("work"));
        Files.createSymbolicLink(work.resolve("bin"), repo.resolve("bin"));
        Path tools = Files.createDirectory(tmp.resolve("tools"));
        if (!Files.isExecutable(Path.of("/usr/bin/sudo"))) {
            // The runner is root already; a reader without sudo would be too.
            Path sudo = Files.writeString(tools.resolve("sudo"), "#!/bin/sh\nexec \"$@\"\n");
            Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        int port = freePortOutsideTheEphemeralRange();
        Path script = Files.writeString(tmp.resolve("readme.sh"), script(blocks, port));

        List<String> command = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                "mount --bind \"$0\" /etc && mount -t tmpfs -o mode=755 tmpfs /var/lib && exec bash \"$1\"",
                sandbox.etc().toString(), script.toString()));
        Process process = Processes.start(command, Map.of(
                "PATH", tools + ":" + Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"),
                "HOME", tmp.toString(),
                "JAVA_HOME", System.getProperty("java.home")), work);
        long started = System.nanoTime();
        ProcessResult result;
        try {
            result = Processes.finish(process, null, 600);
        } finally {
            Files.delete(work.resolve("bin")); // the link into this checkout, before @TempDir cleans up
        }
        String all = result.describe() + "\n--- server\n" + readIfExists(work.resolve("server.out"));
        assertThat(result.exitCode()).as("the README's blocks ran as pasted:\n" + all).isZero();
        System.out.printf("README quick start ran in %.1f s%n%s%n", (System.nanoTime() - started) / 1e9, all);

        assertThat(result.stdout()).as(all).contains("skipped (needs systemd; SystemdContainerIT runs it)");
        // The password the README reads back is the one the throwaway account has (in the copy of /etc).
        String[] lines = blockOutput(result.stdout(), blocks, "--reason \"first login\"").strip().split("\n");
        String password = lines[lines.length - 1];
        assertThat(password).as(all).hasSize(24);
        Path shadow = work.resolve("demo.shadow");
        String hash = Files.readString(shadow).split(":", -1)[1];
        assertThat(cryptMatches(password, hash)).as("the revealed password is the account's").isTrue();
        // Ann's read is refused and on record as denied; nobody warned about a token file others can read.
        assertThat(blockOutput(result.stdout(), blocks, "bin/castellan audit --device"))
                .contains("refused, as the rules say").contains("password.reveal  granted")
                .containsPattern("user:ann +device.lookup +denied");
        assertThat(result.stderr()).as(all).doesNotContain("readable by group or others").doesNotContain("unbound variable");
        assertThat(Files.readString(work.resolve("modes.txt")).strip()).isEqualTo("600 ann.token");
        // The clean-up block removed the account and the agent's state; the host never had either.
        assertThat(Files.readString(sandbox.etc().resolve("passwd"))).doesNotContain(ACCOUNT + ":");
        assertThat(Files.readString(Path.of("/etc/passwd"))).doesNotContain(ACCOUNT + ":");
        assertThat(Path.of("/var/lib/castellan-agent/agent.json")).as("the host's state dir is untouched").doesNotExist();
        assertThat(work.resolve("castellan-data")).doesNotExist();
    }

    /** One bash script: each block announced on stdout ({@code ### readme line N}), then run. */
    /**
     * A free port below the kernel's ephemeral range. A port from {@code new ServerSocket(0)} comes
     * from that range, and is free again once the socket is closed: another test's server on
     * {@code 127.0.0.1:0}, running in parallel, took it before the README's server started ("address
     * already in use", CI, 2026-12-07). Below the range no port-0 bind can take it.
     */
    private static int freePortOutsideTheEphemeralRange() throws java.io.IOException {
        int low = 32768; // Linux's default when the range cannot be read
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        if (Files.isReadable(range)) {
            low = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
        }
        java.util.Random random = new java.security.SecureRandom();
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = 20_000 + random.nextInt(Math.max(1, low - 20_000));
            try (ServerSocket socket = new ServerSocket(candidate, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (java.io.IOException taken) {
                // in use: try another
            }
        }
        throw new java.io.IOException("no free port between 20000 and " + low);
    }

    static String script(List<ReadmeBlocks.Block> blocks, int port) {
        StringBuilder s = new StringBuilder("set -euo pipefail\nserver_pid=\n"
                + "trap '[ -z \"$server_pid\" ] || kill \"$server_pid\" 2>/dev/null || true' EXIT\n");
        for (ReadmeBlocks.Block block : blocks) {
            String text = block.text().replace("127.0.0.1:8443", "127.0.0.1:" + port);
            s.append("echo '### readme line ").append(block.line()).append("'\n");
            switch (block.kind()) {
                case RUN -> s.append(text);
                case OUTPUT -> s.append("echo 'sample output, not run'\n");
                case BUILD -> s.append("echo 'skipped (the jars under test are built)'\n");
                case SYSTEMD -> s.append("echo 'skipped (needs systemd; SystemdContainerIT runs it)'\n");
                case BACKGROUND_SERVER -> s.append("( ").append(text.strip()).append(" ) > server.out 2>&1 &\n")
                        .append("server_pid=$!\n")
                        .append("for i in $(seq 1 600); do grep -q 'Castellan server listening' server.out && break;"
                                + " kill -0 \"$server_pid\" || { echo 'the server exited'; exit 90; }; sleep 0.1; done\n");
                case STOP_SERVER -> s.append("grep '^" + ACCOUNT + ":' /etc/shadow > demo.shadow\n")
                        .append("stat -c '%a %n' ann.token > modes.txt\n")
                        .append("kill \"$server_pid\"; wait \"$server_pid\" || true; server_pid=\n")
                        .append(text);
            }
        }
        return s.toString();
    }

    /** What the block whose text contains {@code command} printed on stdout. */
    static String blockOutput(String stdout, List<ReadmeBlocks.Block> blocks, String command) {
        ReadmeBlocks.Block block = blocks.stream().filter(b -> b.text().contains(command)).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no block with " + command));
        Matcher m = Pattern.compile("(?s)### readme line " + block.line() + "\n(.*?)(?:### readme line |\\z)").matcher(stdout);
        if (!m.find()) {
            throw new AssertionError("no output of the block at README.md line " + block.line());
        }
        return m.group(1);
    }

    private static boolean cryptMatches(String password, String hash) throws Exception {
        ProcessResult r = Processes.run(List.of("perl", "-e",
                "local $/; my $p = <STDIN>; print(crypt($p, $ARGV[0]) eq $ARGV[0] ? 'MATCH' : 'NO')", hash), Map.of(), password);
        return r.stdout().equals("MATCH");
    }

    private static String readIfExists(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file) : "(none)";
    }
}
