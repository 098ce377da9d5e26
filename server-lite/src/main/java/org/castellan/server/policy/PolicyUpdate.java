package org.castellan.server.policy;

import org.castellan.server.http.ApiException;
import org.castellan.server.http.TextRules;

/**
 * A PUT body. Every field is optional: a field left out keeps its current value (or the built-in
 * default for a new policy), so a client can change one setting without restating the others.
 * {@code name} is read-only: GET's representation is accepted as it is, with the same name.
 */
public record PolicyUpdate(String name, String account, Integer length, String complexity, Integer passphraseWords,
                           Boolean excludeLookalikes, Integer maxAgeDays, Integer checkInSeconds,
                           Integer historyKeep, Integer historyDays, Boolean createAccount,
                           Boolean ensureAdmin, Boolean enableAccount, Boolean removeKeychainAfterReset,
                           Boolean luksEnabled, String luksUnlockKeyFile, Integer luksMaxAgeDays) {

    /**
     * Applies this update to {@code current} and validates every resulting field; the account must
     * be an account name on each of {@code systems} ({@link AccountNames}).
     */
    public Policy applyTo(Policy current, java.util.Set<String> systems) {
        // What GET returns, PUT accepts: the name is read-only (it is the path's).
        org.castellan.server.http.TextRules.readOnly("name", name, current.name());
        Policy p = new Policy(current.name(),
                account != null ? account : current.account(),
                length != null ? length : current.length(),
                complexity != null ? complexity : current.complexity(),
                passphraseWords != null ? passphraseWords : current.passphraseWords(),
                excludeLookalikes != null ? excludeLookalikes : current.excludeLookalikes(),
                maxAgeDays != null ? maxAgeDays : current.maxAgeDays(),
                checkInSeconds != null ? checkInSeconds : current.checkInSeconds(),
                historyKeep != null ? historyKeep : current.historyKeep(),
                historyDays != null ? historyDays : current.historyDays(),
                createAccount != null ? createAccount : current.createAccount(),
                ensureAdmin != null ? ensureAdmin : current.ensureAdmin(),
                enableAccount != null ? enableAccount : current.enableAccount(),
                removeKeychainAfterReset != null ? removeKeychainAfterReset : current.removeKeychainAfterReset(),
                luksEnabled != null ? luksEnabled : current.luksEnabled(),
                luksUnlockKeyFile != null ? luksUnlockKeyFile : current.luksUnlockKeyFile(),
                luksMaxAgeDays != null ? luksMaxAgeDays : current.luksMaxAgeDays());
        validate(p);
        AccountNames.require(p.account(), systems);
        return p;
    }

    static void validate(Policy p) {
        if (p.account().length() > 64 || TextRules.hasControlCharacters(p.account())
                || p.account().matches(".*[/\\\\:\"<>|\\s].*")) {
            throw invalid("account", "must be at most 64 characters with no white space, control characters or / \\ : \" < > |");
        }
        range("length", p.length(), 12, 128);
        if (!p.complexity().equals("full") && !p.complexity().equals("alphanumeric")) {
            throw invalid("complexity", "must be 'full' or 'alphanumeric'");
        }
        if (p.passphraseWords() != 0) {
            range("passphraseWords", p.passphraseWords(), 4, 20);
        }
        range("maxAgeDays", p.maxAgeDays(), 1, 3650);
        range("checkInSeconds", p.checkInSeconds(), 60, 86400);
        range("historyKeep", p.historyKeep(), 1, 1000);
        range("historyDays", p.historyDays(), 0, 36500);
        range("luksMaxAgeDays", p.luksMaxAgeDays(), 1, 3650);
        String keyFile = p.luksUnlockKeyFile();
        if (!keyFile.isEmpty() && (!keyFile.startsWith("/") || keyFile.length() > 255
                || TextRules.hasControlCharacters(keyFile) || keyFile.contains("/../") || keyFile.endsWith("/.."))) {
            throw invalid("luksUnlockKeyFile", "must be empty or an absolute path (at most 255 characters, no '..')");
        }
        // The default account (RID 500 on Windows, root on Linux) always exists; creating "it" is
        // meaningless, and on macOS there is no default to create.
        if (p.createAccount() && p.account().isBlank()) {
            throw invalid("createAccount", "needs a named 'account': the platform default account always exists");
        }
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw invalid(field, "must be from " + min + " to " + max + (field.equals("passphraseWords") ? " (or 0)" : ""));
        }
    }

    private static ApiException invalid(String field, String rule) {
        return ApiException.badRequest("invalid-" + field, "field '" + field + "' " + rule);
    }
}
