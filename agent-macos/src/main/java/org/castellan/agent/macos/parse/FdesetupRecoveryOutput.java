package org.castellan.agent.macos.parse;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses the plist that {@code fdesetup changerecovery -personal -outputplist} prints: the new
 * key under {@code RecoveryKey} (six groups of four, e.g. {@code AB12-CD34-...}) and, on most
 * releases, volume identifiers ({@code LVUUID}) and the {@code HardwareUUID}.
 */
public final class FdesetupRecoveryOutput {
    private static final Pattern KEY = Pattern.compile("[A-Z0-9]{4}(-[A-Z0-9]{4}){5}");

    /** @param recoveryKey the new personal recovery key; a String because the XML parser makes one */
    public record Result(String recoveryKey, Optional<String> volumeId) {
        @Override
        public String toString() {
            return "Result[recoveryKey=***, volumeId=" + volumeId + "]";
        }
    }

    private FdesetupRecoveryOutput() {}

    public static Result parse(String output) throws UnexpectedOutputException {
        int start = output.indexOf("<?xml");
        if (start < 0) {
            start = output.indexOf("<plist");
        }
        if (start < 0) {
            // Never quote this output: it may hold the key in another format.
            throw new UnexpectedOutputException("fdesetup changerecovery printed no plist");
        }
        Map<String, Object> dict = PlistReader.readDict(output.substring(start));
        Object key = dict.get("RecoveryKey");
        if (!(key instanceof String text) || !KEY.matcher(text.strip()).matches()) {
            throw new UnexpectedOutputException("fdesetup changerecovery output has no well-formed RecoveryKey");
        }
        Optional<String> volume = Optional.ofNullable(dict.get("LVUUID")).or(() -> Optional.ofNullable(dict.get("HardwareUUID")))
                .map(Object::toString);
        return new Result(text.strip(), volume);
    }

    /** {@code fdesetup validaterecovery} prints {@code true} or {@code false}. */
    public static boolean validated(String output) throws UnexpectedOutputException {
        String answer = output.strip();
        if (answer.equals("true")) {
            return true;
        }
        if (answer.equals("false")) {
            return false;
        }
        throw new UnexpectedOutputException("fdesetup validaterecovery: " + UnexpectedOutputException.excerpt(output));
    }
}
