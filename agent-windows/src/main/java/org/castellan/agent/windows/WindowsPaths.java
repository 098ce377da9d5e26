package org.castellan.agent.windows;

import java.util.Map;

/** Where the agent lives on Windows. */
public final class WindowsPaths {
    static final String FALLBACK_PROGRAM_DATA = "C:\\ProgramData";

    private WindowsPaths() {}

    /** {@code %ProgramData%\Castellan}, with C:\ProgramData when the variable is missing or blank. */
    public static String stateDir(Map<String, String> environment) {
        String programData = environment.get("ProgramData");
        if (programData == null || programData.isBlank()) {
            programData = FALLBACK_PROGRAM_DATA;
        }
        programData = programData.strip();
        while (programData.endsWith("\\") && programData.length() > 3) {
            programData = programData.substring(0, programData.length() - 1);
        }
        return programData + (programData.endsWith("\\") ? "" : "\\") + "Castellan";
    }
}
