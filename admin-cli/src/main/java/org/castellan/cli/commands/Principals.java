package org.castellan.cli.commands;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Shapes of rule principals ({@code user:ID}, {@code user-group:ID}) and targets ({@code device:ID}, {@code device-group:ID}, {@code all}). */
final class Principals {
    static final List<String> PERMISSIONS = List.of("password.read", "password.history", "recovery-key.read",
            "device.rotate", "device.manage", "device.jit");

    private Principals() {}

    static void checkPrincipal(CommandSpec spec, String flag, String value) {
        if (!hasIdAfter(value, "user:") && !hasIdAfter(value, "user-group:")) {
            throw new ParameterException(spec.commandLine(), flag + " must be user:NAME or user-group:NAME (a name or an id after the colon), not '" + value + "'");
        }
    }

    static void checkTarget(CommandSpec spec, String value) {
        if (!value.equals("all") && !hasIdAfter(value, "device:") && !hasIdAfter(value, "device-group:")) {
            throw new ParameterException(spec.commandLine(), "--target must be device:HOSTNAME, device-group:NAME (a name or an id"
                    + " after the colon) or all, not '" + value + "'");
        }
    }

    private static boolean hasIdAfter(String value, String prefix) {
        return value.startsWith(prefix) && value.length() > prefix.length();
    }

    static final class PermissionCandidates extends java.util.ArrayList<String> {
        PermissionCandidates() {
            super(PERMISSIONS);
        }
    }
}
