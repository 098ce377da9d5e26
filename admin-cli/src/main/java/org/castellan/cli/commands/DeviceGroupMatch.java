package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks and renders a device group's {@code "match"}: {@code {"hostname":"GLOB","os":"linux|windows|macos"}}. */
final class DeviceGroupMatch {
    static final List<String> OSES = List.of("linux", "windows", "macos");

    private DeviceGroupMatch() {}

    /** The OS in lower case; an empty value stays empty (it clears the match in an update). */
    static String os(CommandSpec spec, String given) {
        if (given == null || given.isEmpty()) {
            return given;
        }
        String lower = given.toLowerCase(Locale.ROOT);
        if (!OSES.contains(lower)) {
            throw new ParameterException(spec.commandLine(), "--match-os must be linux, windows or macos, not '" + given + "'");
        }
        return lower;
    }

    /** {@code hostname=web* os=linux}, or {@code -}. */
    static String text(JsonNode match) {
        if (match == null || !match.isObject() || match.isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        match.properties().forEach(field -> {
            if (!field.getValue().isNull()) {
                text.append(text.length() == 0 ? "" : " ").append(field.getKey()).append('=').append(field.getValue().asText());
            }
        });
        return text.length() == 0 ? "-" : text.toString();
    }

    static final class OsCandidates extends java.util.ArrayList<String> {
        OsCandidates() {
            super(OSES);
        }
    }
}
