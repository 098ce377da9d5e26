package org.castellan.packaging;

import java.util.List;

/**
 * Runs a shell script under exactly the sandbox of an installed unit: the unit's own file, with
 * its [Service] settings kept and only what makes it a long-running agent replaced (a oneshot
 * that runs the script instead). This proves what the tools the agent calls, or will call, can
 * do under its hardening, without waiting for the agent to call them.
 */
final class UnitSandbox {
    private static final List<String> DROPPED = List.of("ExecStart=", "Type=", "Restart", "Condition", "SuccessExitStatus=");

    private UnitSandbox() {}

    /** The unit text for the probe: {@code unitText} without its run settings and [Install], running {@code script}. */
    static String probeUnit(String unitText, String script) {
        StringBuilder probe = new StringBuilder();
        for (String line : unitText.split("\n")) {
            if (line.equals("[Install]")) {
                break;
            }
            if (DROPPED.stream().noneMatch(line::startsWith)) {
                probe.append(line).append('\n');
            }
        }
        return probe.append("Type=oneshot\n").append("ExecStart=/bin/sh ").append(script).append('\n')
                .append("StandardOutput=truncate:/run/castellan-probe.out\n").append("StandardError=inherit\n")
                .toString();
    }

    /**
     * Runs {@code shell} under {@code unit}'s sandbox; returns the script's exit code and output.
     * The script lives in the agent's state directory, which the agent unit can read.
     */
    static Command.Result run(BootedContainer container, String unit, String shell) throws Exception {
        String script = "/var/lib/castellan-agent/.probe.sh";
        java.nio.file.Files.writeString(container.root().resolve(script.substring(1)), "set -e\n" + shell + "\n");
        String unitText = container.ok("cat /lib/systemd/system/" + unit);
        String probe = probeUnit(unitText, script);
        container.ok("cat > /run/systemd/system/castellan-probe.service <<'EOF'\n" + probe + "EOF\n"
                + "systemctl daemon-reload && systemctl reset-failed castellan-probe.service 2>/dev/null || true");
        Command.Result started = container.run("systemctl start castellan-probe.service; echo \"exit=$?\";"
                + " cat /run/castellan-probe.out; rm -f /run/systemd/system/castellan-probe.service " + script
                + "; systemctl daemon-reload");
        String[] firstAndRest = started.stdout().split("\n", 2);
        if (!firstAndRest[0].startsWith("exit=")) {
            throw new AssertionError("probe did not run: " + started.describe());
        }
        return new Command.Result(Integer.parseInt(firstAndRest[0].substring(5)),
                firstAndRest.length > 1 ? firstAndRest[1] : "", started.stderr());
    }
}
