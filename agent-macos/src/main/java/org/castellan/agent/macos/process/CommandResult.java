package org.castellan.agent.macos.process;

/** What a finished command printed and returned. Never holds a secret that was written to stdin. */
public record CommandResult(int exitCode, String stdout, String stderr) {
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Both streams, stdout first; several macOS tools (sysadminctl) report on stderr only. */
    public String combinedOutput() {
        if (stderr.isEmpty()) {
            return stdout;
        }
        if (stdout.isEmpty()) {
            return stderr;
        }
        return stdout + (stdout.endsWith("\n") ? "" : "\n") + stderr;
    }
}
