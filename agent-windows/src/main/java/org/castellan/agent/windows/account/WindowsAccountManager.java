package org.castellan.agent.windows.account;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.castellan.agent.spi.AccountManager;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PasswordCheck;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.windows.jna.NativePassword;
import org.castellan.agent.windows.jna.UserInfo1;
import org.castellan.agent.windows.jna.UserInfo1008;
import org.castellan.protocol.Secret;
import org.castellan.protocol.messages.AccountOptions;

/**
 * Chooses the managed local account (RID 500 by default, or the policy's named account), makes it
 * manageable as far as {@link WindowsAccountOptions} allow, and sets its password. All native work
 * goes through {@link LocalAccounts}; every failure is thrown, never swallowed, so that agent-core
 * aborts the pending escrow.
 */
public final class WindowsAccountManager implements AccountManager {
    static final String CREATED_COMMENT = "Local administrator managed by Castellan";

    private final LocalAccounts accounts;
    private final Clock clock;
    private final SecureRandom random;
    private final Set<String> createdSids = ConcurrentHashMap.newKeySet();

    public WindowsAccountManager(LocalAccounts accounts, Clock clock, SecureRandom random) {
        this.accounts = accounts;
        this.clock = clock;
        this.random = random;
    }

    /** Without policy options: nothing is created or changed. */
    @Override
    public ManagedAccount resolve(String policyAccount) throws PlatformException {
        return resolve(policyAccount, WindowsAccountOptions.DEFAULTS);
    }

    @Override
    public ManagedAccount resolve(String policyAccount, AccountOptions options) throws PlatformException {
        return resolve(policyAccount, WindowsAccountOptions.from(options));
    }

    /** Windows carries out createAccount, ensureAdmin and enableAccount; the keychain one is macOS's. */
    @Override
    public List<String> ignoredOptions(AccountOptions options) {
        return List.of();
    }

    /** Finds the account and makes it manageable as far as {@code options} (from the policy) allow. */
    public ManagedAccount resolve(String policyAccount, WindowsAccountOptions options) throws PlatformException {
        refuseDomainController();
        String domainSid = accounts.accountDomainSid();
        LocalUser user = policyAccount == null || policyAccount.isBlank()
                ? builtinAdministrator(domainSid)
                : namedAccount(AccountNames.requireValid(policyAccount), domainSid, options);
        if (user.privilege() != UserInfo1.USER_PRIV_ADMIN) {
            user = makeAdministrator(user, options);
        }
        if ((user.flags() & UserInfo1008.UF_ACCOUNTDISABLE) != 0 && options.enableAccount()) {
            int flags = (user.flags() & ~UserInfo1008.UF_ACCOUNTDISABLE) | UserInfo1008.UF_SCRIPT;
            NetApiStatus.check(accounts.setUserFlags(user.name(), flags), "enable-account-failed",
                    "enable account " + user.name());
        }
        return new ManagedAccount(user.name(), user.sid());
    }

    @Override
    public String passwordMarker(ManagedAccount account) throws PlatformException {
        LocalUser user = currentUser(account);
        return PasswordMarkers.marker(accounts.samPasswordLastSet(Sids.rid(user.sid())),
                user.passwordAgeSeconds(), clock.instant());
    }

    @Override
    public void setPassword(ManagedAccount account, Secret newPassword) throws PlatformException {
        refuseDomainController();
        LocalUser user = currentUser(account);
        int status;
        try (NativePassword password = NativePassword.copyOf(newPassword)) {
            status = accounts.setPassword(user.name(), password);
        } catch (IllegalArgumentException e) {
            throw new PlatformException("password-rejected", "set password of account " + user.name()
                    + ": the password contains a character Windows cannot store", e);
        }
        NetApiStatus.check(status, "set-password-failed", "set password of account " + user.name());
    }

    /** A network LogonUser of the local account; 1385 (network logon denied) counts as proof. */
    @Override
    public PasswordCheck verifyPassword(ManagedAccount account, Secret password) throws PlatformException {
        LocalUser user = currentUser(account);
        int error;
        try (NativePassword candidate = NativePassword.copyOf(password)) {
            error = accounts.logonNetwork(user.name(), candidate);
        } catch (IllegalArgumentException e) {
            return PasswordCheck.failed("the password holds a character Windows cannot store");
        }
        return LogonResults.interpret(error);
    }

    @Override
    public List<String> warnings(ManagedAccount account) {
        List<String> warnings = new ArrayList<>();
        if (createdSids.contains(account.id())) {
            warnings.add("needs-first-password");
        }
        try {
            accounts.user(account.name()).ifPresent(user -> {
                if ((user.flags() & UserInfo1008.UF_ACCOUNTDISABLE) != 0) {
                    warnings.add("account-disabled");
                }
            });
        } catch (PlatformException e) {
            warnings.add("account-unreadable");
        }
        return List.copyOf(warnings);
    }

    private void refuseDomainController() throws PlatformException {
        if (accounts.isDomainController()) {
            throw new PlatformException("domain-controller", "this machine is a domain controller: it has no"
                    + " local accounts, and Castellan must not change domain accounts; uninstall the agent here");
        }
    }

    private LocalUser builtinAdministrator(String domainSid) throws PlatformException {
        String sid = Sids.builtinAdministrator(domainSid);
        SidAccount account = accounts.lookupSid(sid).orElseThrow(() -> new PlatformException("account-missing",
                "resolve the built-in administrator " + sid + ": no account has this SID"));
        return accounts.user(account.name()).orElseThrow(() -> new PlatformException("account-missing",
                "resolve the built-in administrator " + sid + ": LookupAccountSid named '" + account.name()
                        + "' but NetUserGetInfo does not find it"));
    }

    private LocalUser namedAccount(String name, String domainSid, WindowsAccountOptions options) throws PlatformException {
        LocalUser user = accounts.user(name).orElse(null);
        if (user == null) {
            if (!options.createIfMissing()) {
                throw new PlatformException("account-missing", "account " + name
                        + " does not exist and the policy does not allow creating it");
            }
            user = create(name);
        }
        if (!Sids.isInDomain(user.sid(), domainSid)) {
            throw new PlatformException("account-unsupported", "account " + name + " (" + user.sid()
                    + ") is not a local account of this machine (" + domainSid + ")");
        }
        return user;
    }

    private LocalUser create(String name) throws PlatformException {
        try (Secret initial = InitialPasswords.generate(random);
                NativePassword password = NativePassword.copyOf(initial)) {
            NetApiStatus.check(accounts.addUser(name, password, CREATED_COMMENT), "create-account-failed",
                    "create account " + name);
        }
        LocalUser created = accounts.user(name).orElseThrow(() -> new PlatformException("account-missing",
                "create account " + name + ": the account is not found after NetUserAdd succeeded"));
        createdSids.add(created.sid());
        return created;
    }

    private LocalUser makeAdministrator(LocalUser user, WindowsAccountOptions options) throws PlatformException {
        if (!options.addToAdministrators()) {
            throw new PlatformException("account-not-admin", "account " + user.name()
                    + " is not a member of Administrators (" + Sids.BUILTIN_ADMINISTRATORS
                    + ") and the policy does not allow adding it");
        }
        // The group is found by its well-known SID: its name is localized ("Administrateurs", ...).
        SidAccount group = accounts.lookupSid(Sids.BUILTIN_ADMINISTRATORS).orElseThrow(() -> new PlatformException(
                "group-missing", "add " + user.name() + " to Administrators: " + Sids.BUILTIN_ADMINISTRATORS
                        + " does not resolve"));
        int status = accounts.addLocalGroupMember(group.name(), user.sid());
        if (status != NetApiStatus.ERROR_MEMBER_IN_ALIAS) {
            NetApiStatus.check(status, "add-to-administrators-failed",
                    "add account " + user.name() + " to local group " + group.name());
        }
        LocalUser after = accounts.user(user.name()).orElseThrow(() -> new PlatformException("account-missing",
                "account " + user.name() + " disappeared while adding it to Administrators"));
        if (after.privilege() != UserInfo1.USER_PRIV_ADMIN) {
            throw new PlatformException("account-not-admin", "account " + user.name()
                    + " is still not an administrator after adding it to " + group.name());
        }
        return after;
    }

    /** The account by its current name, checked to still carry the SID that was resolved. */
    private LocalUser currentUser(ManagedAccount account) throws PlatformException {
        LocalUser user = accounts.user(account.name()).orElse(null);
        if (user == null || !user.sid().equalsIgnoreCase(account.id())) {
            // Renamed since resolve(): find the current name through the SID.
            SidAccount bySid = accounts.lookupSid(account.id()).orElseThrow(() -> new PlatformException(
                    "account-missing", "account " + account.name() + " (" + account.id() + ") no longer exists"));
            user = accounts.user(bySid.name()).orElseThrow(() -> new PlatformException("account-missing",
                    "account " + bySid.name() + " (" + account.id() + ") is not a local user"));
        }
        return user;
    }
}
