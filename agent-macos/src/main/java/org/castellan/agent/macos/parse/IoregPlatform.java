package org.castellan.agent.macos.parse;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.castellan.agent.identity.IdentityValues;

/**
 * {@code ioreg -rd1 -c IOPlatformExpertDevice}: the line {@code "IOPlatformUUID" = "…"} names the
 * hardware UUID (new for a cloned VM), as System Information shows it.
 */
public final class IoregPlatform {
    private static final Pattern UUID_LINE = Pattern.compile("\"IOPlatformUUID\"\\s*=\\s*\"([^\"]+)\"");

    private IoregPlatform() {}

    public static Optional<String> platformUuid(String output) {
        Matcher matcher = UUID_LINE.matcher(output);
        return matcher.find() ? IdentityValues.uuid(matcher.group(1)) : Optional.empty();
    }
}
