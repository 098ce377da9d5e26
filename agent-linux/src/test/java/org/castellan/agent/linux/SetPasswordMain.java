package org.castellan.agent.linux;

import java.util.Arrays;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;

/**
 * Run by {@link ChpasswdNamespaceTest} inside a private mount namespace whose /etc is a copy:
 * sets the named account's password, read from stdin, with the real {@link LinuxAccountManager}.
 * Prints {@code ok MARKER_BEFORE MARKER_AFTER} or {@code failed CODE MARKER_BEFORE MARKER_AFTER MESSAGE}.
 */
public final class SetPasswordMain {
    private SetPasswordMain() {}

    public static void main(String[] args) throws Exception {
        byte[] input = System.in.readAllBytes();
        int end = input.length;
        while (end > 0 && (input[end - 1] == '\n' || input[end - 1] == '\r')) {
            end--;
        }
        byte[] password = Arrays.copyOf(input, end);
        Arrays.fill(input, (byte) 0);
        LinuxAccountManager accounts = new LinuxAccountManager(System.getenv());
        ManagedAccount account = accounts.resolve(args[0]);
        String before = accounts.passwordMarker(account);
        try (Secret secret = Secret.fromUtf8(password)) {
            accounts.setPassword(account, secret);
            System.out.println("ok " + before + " " + accounts.passwordMarker(account));
            System.exit(0);
        } catch (PlatformException e) {
            System.out.println("failed " + e.code() + " " + before + " " + accounts.passwordMarker(account) + " "
                    + e.getMessage());
            System.exit(3);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }
}
