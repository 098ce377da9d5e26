package org.castellan.agent.macos.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code sw_vers -productVersion} ({@code 14.4.1}) or plain {@code sw_vers} output
 * ({@code ProductVersion:\t14.4.1}).
 */
public final class ProductVersion {
    private static final Pattern VERSION = Pattern.compile("^(?:ProductVersion:\\s*)?(\\d+(?:\\.\\d+){0,3})\\s*$", Pattern.MULTILINE);

    private ProductVersion() {}

    public static String parse(String output) throws UnexpectedOutputException {
        Matcher matcher = VERSION.matcher(output);
        if (!matcher.find()) {
            throw new UnexpectedOutputException("sw_vers: no product version in " + UnexpectedOutputException.excerpt(output));
        }
        return matcher.group(1);
    }
}
