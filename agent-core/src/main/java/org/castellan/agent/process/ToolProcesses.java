package org.castellan.agent.process;

/**
 * What every per-OS runner of system tools needs from a running tool: pipe I/O on threads of its
 * own, and a kill that holds at the timeout whatever the tool does with its pipes.
 */
public final class ToolProcesses {
    private ToolProcesses() {}

    /** A daemon thread for blocking pipe I/O, which does not belong in the shared fork-join pool. */
    public static void background(String name, Runnable task) {
        Thread thread = new Thread(task, "castellan-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * SIGKILL to the tool and whatever it started, through process handles. Not
     * {@link Process#destroyForcibly()}: it closes the tool's stdin first, which waits for the
     * writer thread, itself stuck writing to a tool that never reads; the timeout would then last
     * as long as the tool does.
     */
    public static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
    }
}
