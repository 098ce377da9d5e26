package org.castellan.agent.macos.parse;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code passwordLastSetTime} (seconds since 1970, a {@code <real>}) from
 * {@code dscl . -read /Users/NAME accountPolicyData}. macOS updates it on every password change,
 * which makes it a marker that holds no secret.
 */
public final class AccountPolicyData {
    private AccountPolicyData() {}

    /** Empty when the attribute or the key is absent (fresh accounts created by dscl have neither). */
    public static Optional<String> passwordLastSetTime(String dsclOutput) throws UnexpectedOutputException {
        Optional<String> plist = DsclRecord.attribute(dsclOutput, "accountPolicyData");
        if (plist.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> dict = PlistReader.readDict(plist.get());
        Object value = dict.get("passwordLastSetTime");
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Number number)) {
            throw new UnexpectedOutputException("accountPolicyData: passwordLastSetTime is not a number");
        }
        // BigDecimal keeps every digit dscl printed, so two different times never compare equal.
        return Optional.of(new BigDecimal(number.toString()).toPlainString());
    }
}
