package org.castellan.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code systemd-analyze security UNIT}, parsed: the overall exposure (0 safest, 10 unsafest) and
 * the settings it still counts against the unit (its ✗ lines).
 */
record ExposureReport(String unit, double exposure, String rating, List<String> exposedSettings) {
    // "→ Overall exposure level for castellan-agent.service: 1.9 OK 🙂" (with LC_ALL=C the arrow is "->").
    private static final Pattern OVERALL = Pattern.compile("Overall exposure level for (\\S+): (\\d+\\.\\d) (\\S+)");

    static ExposureReport parse(String output) {
        Matcher overall = OVERALL.matcher(output);
        if (!overall.find()) {
            throw new AssertionError("no 'Overall exposure level' line in:\n" + output);
        }
        List<String> exposed = new ArrayList<>();
        for (String line : output.split("\n")) {
            // "✗ SystemCallFilter=~@privileged   System call allow list ...  0.2" ("X " with LC_ALL=C)
            Matcher item = Pattern.compile("^(?:✗|X) (\\S+)\\s").matcher(line);
            if (item.find()) {
                exposed.add(item.group(1));
            }
        }
        return new ExposureReport(overall.group(1), Double.parseDouble(overall.group(2)), overall.group(3), exposed);
    }

    /**
     * The word a unit's comment must name to justify an exposed setting: the setting itself
     * ("PrivateNetwork=" → "PrivateNetwork"), or for "~" items what is still allowed
     * ("SystemCallFilter=~@privileged" → "@privileged", "CapabilityBoundingSet=~CAP_(CHOWN|FSETID)" →
     * "CAP_CHOWN", "RestrictAddressFamilies=~AF_(INET|INET6)" → "AF_INET").
     */
    static String justificationKeyword(String setting) {
        int tilde = setting.indexOf("=~");
        if (tilde < 0) {
            return setting.substring(0, setting.indexOf('=') > 0 ? setting.indexOf('=') : setting.length());
        }
        String allowed = setting.substring(tilde + 2);
        Matcher alternatives = Pattern.compile("^(\\w*)\\((\\w+)[|)].*").matcher(allowed);
        return alternatives.matches() ? alternatives.group(1) + alternatives.group(2) : allowed;
    }
}
