package org.castellan.agent.macos.filevault;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.castellan.agent.macos.account.CurrentPasswordStore;
import org.castellan.agent.macos.parse.FdesetupRecoveryOutput;
import org.castellan.agent.macos.parse.FileVaultStatus;
import org.castellan.agent.macos.parse.UnexpectedOutputException;
import org.castellan.agent.macos.process.CommandException;
import org.castellan.agent.macos.process.CommandResult;
import org.castellan.agent.macos.process.CommandRunner;
import org.castellan.agent.macos.process.MacTools;
import org.castellan.agent.macos.store.SealedSecretFiles;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.RecoveryKey;
import org.castellan.agent.spi.RecoveryKeySource;
import org.castellan.protocol.Secret;

/**
 * FileVault personal recovery key escrow. macOS never shows an existing personal recovery key, so
 * the agent makes a new one ({@code fdesetup changerecovery -personal}), authenticating as the
 * managed account with the password it knows, and keeps it sealed in the state directory so that
 * every later scan returns the same key instead of replacing it again. A kept key is checked with
 * {@code fdesetup validaterecovery} first; one changed behind the agent's back is replaced.
 *
 * <p>All credentials and keys travel on stdin as plists, never as arguments.
 */
public final class FileVaultRecoveryKeys implements RecoveryKeySource {
    static final String KEY_FILE = "filevault-personal-recovery-key";
    static final String VOLUME_FILE = "filevault-volume-id";
    static final String BOOT_VOLUME = "/";
    static final String PROTECTOR = "personal-recovery-key";
    /**
     * A fresh id per generated key ({@code personal-recovery-key-UUID}): agent-core remembers only
     * (volume, protector) ids, so a replaced key must come with a new id to be escrowed again.
     */
    static final String PROTECTOR_FILE = "filevault-protector-id";

    private final CommandRunner runner;
    private final MacTools tools;
    private final SealedSecretFiles files;
    private final CurrentPasswordStore passwords;
    private final Supplier<Optional<String>> managedAccount;

    public FileVaultRecoveryKeys(CommandRunner runner, MacTools tools, SealedSecretFiles files,
            CurrentPasswordStore passwords, Supplier<Optional<String>> managedAccount) {
        this.runner = runner;
        this.tools = tools;
        this.files = files;
        this.passwords = passwords;
        this.managedAccount = managedAccount;
    }

    @Override
    public RecoveryKeyScan scan() throws PlatformException {
        CommandResult status = run("recovery-key-scan-failed", "fdesetup status", new byte[0], "status");
        try {
            if (FileVaultStatus.parse(status.combinedOutput()) == FileVaultStatus.OFF) {
                return new RecoveryKeyScan(List.of(), List.of());
            }
        } catch (UnexpectedOutputException e) {
            throw new PlatformException("recovery-key-scan-failed", e.getMessage(), e);
        }
        Optional<Secret> kept = files.load(KEY_FILE);
        if (kept.isPresent() && isValid(kept.get())) {
            return found(kept.get(), volumeId(), keptProtectorId());
        }
        kept.ifPresent(Secret::close);
        Optional<String> account = managedAccount.get();
        Optional<Secret> password = account.isPresent() ? passwords.load(account.get()) : Optional.empty();
        if (password.isEmpty()) {
            // Until the agent knows the managed account's password it cannot authenticate to
            // FileVault; admins see the volume as unprotected.
            return new RecoveryKeyScan(List.of(), List.of(BOOT_VOLUME));
        }
        try (Secret accountPassword = password.get()) {
            return rotate(account.get(), accountPassword);
        }
    }

    private RecoveryKeyScan rotate(String account, Secret accountPassword) throws PlatformException {
        byte[] stdin = FdesetupInput.credentials(account, accountPassword);
        CommandResult result;
        try {
            result = run("recovery-key-rotate-failed", "fdesetup changerecovery -personal as " + account, stdin,
                    "changerecovery", "-personal", "-inputplist", "-outputplist");
        } finally {
            Arrays.fill(stdin, (byte) 0);
        }
        if (!result.succeeded()) {
            // stderr only: on failure fdesetup explains there; stdout could hold a key.
            throw new PlatformException("recovery-key-rotate-failed", "fdesetup changerecovery -personal as " + account
                    + ": exit " + result.exitCode() + ": " + result.stderr().strip());
        }
        FdesetupRecoveryOutput.Result output;
        try {
            output = FdesetupRecoveryOutput.parse(result.stdout());
        } catch (UnexpectedOutputException e) {
            throw new PlatformException("recovery-key-rotate-failed", "fdesetup changerecovery -personal: " + e.getMessage(), e);
        }
        Secret key = Secret.of(output.recoveryKey());
        String volume = output.volumeId().orElse(BOOT_VOLUME);
        String protector = PROTECTOR + "-" + UUID.randomUUID();
        try {
            try (Secret protectorId = Secret.of(protector)) {
                files.save(PROTECTOR_FILE, protectorId);
            }
            files.save(KEY_FILE, key);
            try (Secret volumeId = Secret.of(volume)) {
                files.save(VOLUME_FILE, volumeId);
            }
        } catch (PlatformException e) {
            // The new key is in effect; hand it over for escrow now. Without the kept copy the
            // next scan replaces it again, which is wasteful but loses nothing.
        }
        return found(key, volume, protector);
    }

    private boolean isValid(Secret key) throws PlatformException {
        byte[] stdin = FdesetupInput.credentials(null, key);
        try {
            CommandResult result = run("recovery-key-scan-failed", "fdesetup validaterecovery", stdin, "validaterecovery", "-inputplist");
            return FdesetupRecoveryOutput.validated(result.stdout());
        } catch (UnexpectedOutputException e) {
            throw new PlatformException("recovery-key-scan-failed", e.getMessage(), e);
        } finally {
            Arrays.fill(stdin, (byte) 0);
        }
    }

    private String volumeId() throws PlatformException {
        Optional<Secret> stored = files.load(VOLUME_FILE);
        if (stored.isEmpty()) {
            return BOOT_VOLUME;
        }
        try (Secret volume = stored.get()) {
            return volume.reveal();
        }
    }

    /** The kept key's id; a key kept before ids were generated keeps the old fixed one. */
    private String keptProtectorId() throws PlatformException {
        Optional<Secret> stored = files.load(PROTECTOR_FILE);
        if (stored.isEmpty()) {
            return PROTECTOR;
        }
        try (Secret protector = stored.get()) {
            return protector.reveal();
        }
    }

    private static RecoveryKeyScan found(Secret key, String volumeId, String protectorId) {
        return new RecoveryKeyScan(List.of(new RecoveryKey(volumeId, BOOT_VOLUME, protectorId, key)), List.of());
    }

    private CommandResult run(String code, String what, byte[] stdin, String... args) throws PlatformException {
        String[] argv = new String[args.length + 1];
        argv[0] = tools.fdesetup();
        System.arraycopy(args, 0, argv, 1, args.length);
        try {
            return runner.run(List.of(argv), stdin);
        } catch (CommandException e) {
            throw new PlatformException(code, what + ": " + e.getMessage(), e);
        }
    }
}
