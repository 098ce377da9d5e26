package org.castellan.agent.macos.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The launchd daemon definition for the agent, as plist values. */
public final class LaunchdPlist {
    /** launchd waits at least this long before restarting a daemon that exited. */
    static final int THROTTLE_SECONDS = 30;

    private LaunchdPlist() {}

    public static Map<String, Object> daemon(List<String> command, LaunchdPaths paths) {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("Label", LaunchdPaths.LABEL);
        dict.put("ProgramArguments", List.copyOf(command));
        dict.put("RunAtLoad", true);
        dict.put("KeepAlive", true);
        dict.put("ThrottleInterval", THROTTLE_SECONDS);
        dict.put("StandardOutPath", paths.logDir().resolve("agent.log").toString());
        dict.put("StandardErrorPath", paths.logDir().resolve("agent.err.log").toString());
        dict.put("ProcessType", "Background");
        return dict;
    }
}
