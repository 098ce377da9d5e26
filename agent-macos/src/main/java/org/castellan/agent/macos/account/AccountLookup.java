package org.castellan.agent.macos.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.castellan.agent.macos.parse.AccountPolicyData;
import org.castellan.agent.macos.parse.DsclRecord;
import org.castellan.agent.macos.parse.GroupMembership;
import org.castellan.agent.macos.parse.SecureTokenStatus;
import org.castellan.agent.macos.parse.UnexpectedOutputException;
import org.castellan.agent.macos.process.CommandResult;
import org.castellan.agent.spi.PlatformException;

/** Read-only questions about an account: does it exist, is it admin, has it a SecureToken, its marker. */
final class AccountLookup {
    private final MacTool tool;

    AccountLookup(MacTool tool) {
        this.tool = tool;
    }

    Optional<String> uniqueId(String name) throws PlatformException {
        CommandResult read = tool.run("account-lookup-failed", "look up account " + name,
                tool.paths().dscl(), ".", "-read", "/Users/" + name, "UniqueID");
        if (!read.succeeded()) {
            String output = read.combinedOutput();
            if (output.contains("eDSRecordNotFound") || output.contains("-14136")) {
                return Optional.empty();
            }
            throw new PlatformException("account-lookup-failed", "look up account " + name
                    + ": dscl exit " + read.exitCode() + ": " + output.strip());
        }
        try {
            return Optional.of(DsclRecord.uniqueId(read.stdout(), name));
        } catch (UnexpectedOutputException e) {
            throw new PlatformException("account-lookup-failed", "look up account " + name + ": " + e.getMessage(), e);
        }
    }

    boolean isAdmin(String name) throws PlatformException {
        CommandResult check = tool.run("account-lookup-failed", "check admin membership of " + name,
                tool.paths().dseditgroup(), "-o", "checkmember", "-m", name, "admin");
        try {
            return GroupMembership.isMember(check.exitCode(), check.combinedOutput(), name, "admin");
        } catch (UnexpectedOutputException e) {
            throw new PlatformException("account-lookup-failed", "check admin membership of " + name + ": " + e.getMessage(), e);
        }
    }

    SecureTokenStatus secureToken(String name, String code) throws PlatformException {
        CommandResult status = tool.run(code, "read SecureToken status of " + name,
                tool.paths().sysadminctl(), "-secureTokenStatus", name);
        try {
            return SecureTokenStatus.parse(status.combinedOutput(), name);
        } catch (UnexpectedOutputException e) {
            throw new PlatformException(code, "read SecureToken status of " + name + ": " + e.getMessage(), e);
        }
    }

    /** See {@link org.castellan.agent.spi.AccountManager#passwordMarker}. */
    String passwordMarker(String name) throws PlatformException {
        String record = "/Users/" + name;
        CommandResult policy = tool.run("marker-unavailable", "read accountPolicyData of " + name,
                tool.paths().dscl(), ".", "-read", record, "accountPolicyData");
        if (policy.succeeded()) {
            try {
                Optional<String> lastSet = AccountPolicyData.passwordLastSetTime(policy.stdout());
                if (lastSet.isPresent()) {
                    return "passwordLastSetTime:" + lastSet.get();
                }
            } catch (UnexpectedOutputException e) {
                // Fall through to the shadow hash: an unreadable policy plist is not fatal.
            }
        }
        // Accounts created by dscl have no accountPolicyData until a password policy touches them.
        CommandResult shadow = tool.run("marker-unavailable", "read ShadowHashData of " + name,
                tool.paths().dscl(), ".", "-read", record, "ShadowHashData");
        Optional<String> hash = shadow.succeeded() ? DsclRecord.attribute(shadow.stdout(), "ShadowHashData") : Optional.empty();
        if (hash.isEmpty()) {
            throw new PlatformException("marker-unavailable", "account " + name
                    + " has neither passwordLastSetTime nor ShadowHashData (dscl exit " + shadow.exitCode() + ")");
        }
        // A digest of the salted hash: changes with the password, reveals nothing usable.
        return "shadow-sha256:" + sha256Hex(hash.get().replaceAll("\\s", ""));
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
