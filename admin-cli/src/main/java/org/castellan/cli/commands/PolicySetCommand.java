package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.castellan.cli.CliException;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.ApiException;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.http.LenientJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code castellan policy set [NAME] --length 24 ...}: reads the policy, changes only the given
 * fields, and PUTs the whole policy back, so unchanged fields keep their values.
 *
 * <p>Only the policy fields this CLI knows are sent back: the server's answer may carry read-only
 * fields (a name, timestamps) that its strict JSON parsing would reject in a PUT.
 */
@Command(name = "set", description = {"Change some fields of a policy, keeping the others.",
        "A policy that does not exist yet is created from the given fields."})
final class PolicySetCommand extends ApiCommand {
    static final List<String> FIELDS = List.of("account", "length", "complexity", "passphraseWords",
            "excludeLookalikes", "maxAgeDays", "checkInSeconds", "historyKeep", "historyDays",
            "createAccount", "ensureAdmin", "enableAccount", "removeKeychainAfterReset", "luksEnabled",
            "luksUnlockKeyFile", "luksMaxAgeDays");

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", defaultValue = "default",
            description = "Policy name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--account", paramLabel = "ACCOUNT", description = "Local admin account to manage.")
    String account;

    @Option(names = "--length", paramLabel = "N", description = "Password length in characters.")
    Integer length;

    @Option(names = "--complexity", paramLabel = "full|alphanumeric",
            description = "Character classes: full (with symbols) or alphanumeric.")
    String complexity;

    @Option(names = "--passphrase-words", paramLabel = "N", description = "Use a passphrase of N words instead.")
    Integer passphraseWords;

    @Option(names = "--exclude-lookalikes", paramLabel = "true|false", arity = "1",
            description = "Leave out characters that look alike (0/O, 1/l/I).")
    Boolean excludeLookalikes;

    @Option(names = "--max-age-days", paramLabel = "N", description = "Rotate passwords older than N days.")
    Integer maxAgeDays;

    @Option(names = "--check-in-seconds", paramLabel = "N", description = "How often agents check in.")
    Integer checkInSeconds;

    @Option(names = "--history-keep", paramLabel = "N", description = "Keep at least the N newest passwords per device (at least 1).")
    Integer historyKeep;

    @Option(names = "--history-days", paramLabel = "N", description = "Keep every password of the last N days (0 or more).")
    Integer historyDays;

    @Option(names = "--create-account", paramLabel = "true|false", arity = "1",
            description = "Create the named account when it is missing (Windows, macOS; needs --account).")
    Boolean createAccount;

    @Option(names = "--ensure-admin", paramLabel = "true|false", arity = "1",
            description = "Add the account to the local administrators group when it is not a member (Windows, macOS).")
    Boolean ensureAdmin;

    @Option(names = "--enable-account", paramLabel = "true|false", arity = "1",
            description = "Enable the account when it is disabled (Windows).")
    Boolean enableAccount;

    @Option(names = "--remove-keychain-after-reset", paramLabel = "true|false", arity = "1",
            description = "Delete the account's login keychain after a reset without the old password (macOS).")
    Boolean removeKeychainAfterReset;

    @Option(names = "--luks", paramLabel = "true|false", arity = "1",
            description = "Keep a Castellan recovery passphrase in a key slot of each LUKS2 volume (Linux).")
    Boolean luksEnabled;

    @Option(names = "--luks-unlock-key-file", paramLabel = "PATH",
            description = "Root-only file on the devices holding a passphrase that unlocks their LUKS volumes"
                    + " (needed to add a slot; empty: none, agents report luks-needs-unlock-key).")
    String luksUnlockKeyFile;

    @Option(names = "--luks-max-age-days", paramLabel = "N", description = "Replace Castellan LUKS passphrases older than N days.")
    Integer luksMaxAgeDays;

    private ObjectNode changes;

    @Override
    protected void validate(Host host) {
        changes = changes();
    }

    @Override
    protected void run(Session session) {
        ObjectNode merged = LenientJson.mapper().createObjectNode();
        JsonNode current = current(session);
        for (String field : FIELDS) {
            JsonNode value = changes.has(field) ? changes.get(field) : current.get(field);
            if (value != null) {
                merged.set(field, value);
            }
        }
        JsonNode answer = session.api().put("set policy " + name, Endpoint.of("policies", name), merged).tree();
        JsonNode shown = answer.isObject() ? answer : merged;
        if (session.output().json()) {
            session.output().printJson(shown);
            return;
        }
        // What changed, field by field (the whole policy: policy get).
        java.util.List<String> diff = new java.util.ArrayList<>();
        for (String field : FIELDS) {
            JsonNode before = current.get(field);
            JsonNode after = shown.get(field);
            if (after != null && !after.equals(before)) {
                diff.add(field + ": " + (before == null || before.isNull() ? "(unset)" : before.asText()) + " -> "
                        + (after.isNull() ? "(unset)" : after.asText()));
            }
        }
        if (diff.isEmpty()) {
            session.output().printLine("policy " + name + ": nothing changed");
        } else {
            session.output().printLine("policy " + name + ":");
            diff.forEach(line -> session.output().printLine("  " + line));
        }
    }

    private JsonNode current(Session session) {
        try {
            JsonNode current = session.api().get("get policy " + name, Endpoint.of("policies", name)).tree();
            if (!current.isObject()) {
                throw new CliException(CliException.FAILED, "get policy " + name + ": the server's answer is not an object");
            }
            return current;
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            session.output().note("policy " + name + " does not exist yet; creating it with the given fields");
            return LenientJson.mapper().createObjectNode();
        }
    }

    private ObjectNode changes() {
        ObjectNode changes = LenientJson.mapper().createObjectNode();
        if (account != null) {
            changes.put("account", account);
        }
        putPositive(changes, "length", "--length", length);
        if (complexity != null) {
            String normalized = complexity.toLowerCase(Locale.ROOT);
            if (!normalized.equals("full") && !normalized.equals("alphanumeric")) {
                throw new ParameterException(spec.commandLine(), "--complexity must be full or alphanumeric, not '"
                        + complexity + "'");
            }
            changes.put("complexity", normalized);
        }
        putPositive(changes, "passphraseWords", "--passphrase-words", passphraseWords);
        if (excludeLookalikes != null) {
            changes.put("excludeLookalikes", excludeLookalikes);
        }
        putPositive(changes, "maxAgeDays", "--max-age-days", maxAgeDays);
        putPositive(changes, "checkInSeconds", "--check-in-seconds", checkInSeconds);
        putPositive(changes, "historyKeep", "--history-keep", historyKeep);
        if (historyDays != null) {
            if (historyDays < 0) {
                throw new ParameterException(spec.commandLine(), "--history-days must be 0 or more");
            }
            changes.put("historyDays", historyDays);
        }
        putBoolean(changes, "createAccount", createAccount);
        putBoolean(changes, "ensureAdmin", ensureAdmin);
        putBoolean(changes, "enableAccount", enableAccount);
        putBoolean(changes, "removeKeychainAfterReset", removeKeychainAfterReset);
        putBoolean(changes, "luksEnabled", luksEnabled);
        if (luksUnlockKeyFile != null) {
            changes.put("luksUnlockKeyFile", luksUnlockKeyFile);
        }
        putPositive(changes, "luksMaxAgeDays", "--luks-max-age-days", luksMaxAgeDays);
        if (changes.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "nothing to change: give at least one of --account, --length,"
                    + " --complexity, --passphrase-words, --exclude-lookalikes, --max-age-days, --check-in-seconds,"
                    + " --history-keep, --history-days, --create-account, --ensure-admin, --enable-account,"
                    + " --remove-keychain-after-reset, --luks, --luks-unlock-key-file, --luks-max-age-days");
        }
        return changes;
    }

    private static void putBoolean(ObjectNode changes, String field, Boolean value) {
        if (value != null) {
            changes.put(field, value);
        }
    }

    private void putPositive(ObjectNode changes, String field, String flag, Integer value) {
        if (value == null) {
            return;
        }
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), flag + " must be at least 1");
        }
        changes.put(field, value);
    }
}
