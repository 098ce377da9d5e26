package org.castellan.agent.windows.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.windows.jna.UserInfo1;
import org.castellan.agent.windows.jna.UserInfo1008;
import org.castellan.protocol.Secret;
import org.castellan.protocol.messages.AccountOptions;
import org.junit.jupiter.api.Test;

class WindowsAccountManagerTest {
    private static final int ENABLED = UserInfo1008.UF_SCRIPT | UserInfo1008.UF_NORMAL_ACCOUNT;
    private static final int DISABLED = ENABLED | UserInfo1008.UF_ACCOUNTDISABLE;

    private final FakeLocalAccounts fake = new FakeLocalAccounts()
            .withUser("Guest", 501, DISABLED, UserInfo1.USER_PRIV_GUEST)
            .withUser("LocalBoss", 500, ENABLED, UserInfo1.USER_PRIV_ADMIN)
            .withUser("helpdesk", 1001, ENABLED, UserInfo1.USER_PRIV_USER);

    private WindowsAccountManager manager() {
        return new WindowsAccountManager(fake,
                Clock.fixed(Instant.parse("2026-11-22T01:00:00Z"), ZoneOffset.UTC), new SecureRandom());
    }

    @Test
    void emptyPolicyAccountResolvesTheRid500AccountWhateverItIsNamed() throws Exception {
        ManagedAccount account = manager().resolve("");

        assertThat(account).isEqualTo(new ManagedAccount("LocalBoss", FakeLocalAccounts.DOMAIN_SID + "-500"));
        assertThat(manager().resolve(null)).isEqualTo(account);
    }

    @Test
    void namedAccountThatIsAnAdministratorIsResolvedWithItsSid() throws Exception {
        fake.withUser("castadmin", 1002, ENABLED, UserInfo1.USER_PRIV_ADMIN);

        ManagedAccount account = manager().resolve("castadmin");

        assertThat(account.id()).isEqualTo(FakeLocalAccounts.DOMAIN_SID + "-1002");
        assertThat(fake.calls).noneMatch(c -> c.startsWith("NetUserAdd") || c.startsWith("NetLocalGroupAddMembers"));
    }

    @Test
    void missingNamedAccountIsAnErrorWhenCreationIsNotAllowed() {
        assertThatThrownBy(() -> manager().resolve("castadmin"))
                .isInstanceOf(PlatformException.class)
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("account-missing");
        assertThat(fake.calls).noneMatch(c -> c.startsWith("NetUserAdd"));
    }

    @Test
    void missingNamedAccountIsCreatedAndAddedToAdministratorsBySidWhenAllowed() throws Exception {
        WindowsAccountManager manager = manager();

        ManagedAccount account = manager.resolve("castadmin", new WindowsAccountOptions(true, true, false));

        assertThat(account.name()).isEqualTo("castadmin");
        assertThat(fake.calls).contains("NetUserAdd castadmin",
                "LookupAccountSid S-1-5-32-544",
                "NetLocalGroupAddMembers Administrateurs " + account.id());
        assertThat(fake.passwordsSeen).singleElement().satisfies(p -> assertThat(p.wasWipedOnClose()).isTrue());
        assertThat(manager.warnings(account)).contains("needs-first-password");
    }

    @Test
    void createdAccountThatMayNotBeAddedToAdministratorsIsRefused() {
        WindowsAccountManager manager = manager();

        assertThatThrownBy(() -> manager.resolve("castadmin", new WindowsAccountOptions(true, false, false)))
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("account-not-admin");
    }

    @Test
    void nonAdministratorIsAddedToTheLocalizedAdministratorsGroupByItsSid() throws Exception {
        manager().resolve("helpdesk", new WindowsAccountOptions(false, true, false));

        assertThat(fake.calls).contains("NetLocalGroupAddMembers Administrateurs " + FakeLocalAccounts.DOMAIN_SID + "-1001");
        assertThat(fake.users.get("helpdesk").privilege()).isEqualTo(UserInfo1.USER_PRIV_ADMIN);
    }

    @Test
    void alreadyMemberStatusFromAddMembersIsNotAnError() throws Exception {
        // Windows answers ERROR_MEMBER_IN_ALIAS when the SID is already in the group.
        fake.addMemberStatus = NetApiStatus.ERROR_MEMBER_IN_ALIAS;

        ManagedAccount account = manager().resolve("helpdesk", new WindowsAccountOptions(false, true, false));

        assertThat(account.name()).isEqualTo("helpdesk");
        assertThat(fake.calls).anyMatch(c -> c.startsWith("NetLocalGroupAddMembers"));
    }

    @Test
    void addMembersFailureIsReportedWithContext() {
        fake.addMemberStatus = NetApiStatus.ERROR_ACCESS_DENIED;

        assertThatThrownBy(() -> manager().resolve("helpdesk", new WindowsAccountOptions(false, true, false)))
                .hasMessageContaining("add account helpdesk to local group Administrateurs")
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("access-denied");
    }

    @Test
    void nonAdministratorIsRefusedWhenAddingIsNotAllowed() {
        assertThatThrownBy(() -> manager().resolve("helpdesk"))
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("account-not-admin");
    }

    @Test
    void failedAccountCreationIsReportedWithItsMappedCode() {
        fake.addUserStatus = NetApiStatus.NERR_PASSWORD_TOO_SHORT;

        assertThatThrownBy(() -> manager().resolve("castadmin", new WindowsAccountOptions(true, true, false)))
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("password-policy");
        assertThat(fake.passwordsSeen).singleElement().satisfies(p -> assertThat(p.wasWipedOnClose()).isTrue());
    }

    @Test
    void disabledAccountIsEnabledOnlyWhenAllowed() throws Exception {
        fake.withUser("LocalBoss", 500, DISABLED, UserInfo1.USER_PRIV_ADMIN);

        ManagedAccount account = manager().resolve("");
        assertThat(fake.calls).noneMatch(c -> c.startsWith("NetUserSetInfo 1008"));
        assertThat(manager().warnings(account)).contains("account-disabled");

        manager().resolve("", new WindowsAccountOptions(false, false, true));
        assertThat(fake.calls).contains("NetUserSetInfo 1008 LocalBoss " + Integer.toHexString(ENABLED));
        assertThat(fake.users.get("localboss").flags() & UserInfo1008.UF_ACCOUNTDISABLE).isZero();
    }

    @Test
    void domainControllerIsRefusedBeforeAnyAccountIsTouched() {
        fake.domainController = true;

        assertThatThrownBy(() -> manager().resolve("castadmin", new WindowsAccountOptions(true, true, true)))
                .isInstanceOf(PlatformException.class)
                .hasMessageContaining("domain controller")
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("domain-controller");
        assertThat(fake.calls).containsExactly("NetServerGetInfo");
    }

    @Test
    void domainPrefixedOrOverlongNamesAreRejected() {
        assertThatThrownBy(() -> manager().resolve("CORP\\admin"))
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("account-unsupported");
        assertThatThrownBy(() -> manager().resolve("a".repeat(21)))
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("account-unsupported");
    }

    @Test
    void setPasswordPassesTheExactPasswordAndWipesTheNativeBuffer() throws Exception {
        WindowsAccountManager manager = manager();
        ManagedAccount account = manager.resolve("");

        try (Secret password = Secret.of("Ünïcødé-pässwörd-€-42")) {
            manager.setPassword(account, password);
        }

        assertThat(fake.passwordsSetTo).containsExactly("Ünïcødé-pässwörd-€-42");
        assertThat(fake.passwordsSeen).singleElement().satisfies(p -> {
            assertThat(p.isClosed()).isTrue();
            assertThat(p.wasWipedOnClose()).isTrue();
        });
    }

    @Test
    void setPasswordFailurePropagatesSoTheEscrowIsAbortedAndTheBufferIsStillWiped() throws Exception {
        WindowsAccountManager manager = manager();
        ManagedAccount account = manager.resolve("");
        fake.setPasswordStatus = NetApiStatus.NERR_PASSWORD_TOO_SHORT;

        assertThatThrownBy(() -> manager.setPassword(account, Secret.of("short")))
                .isInstanceOf(PlatformException.class)
                .hasMessageContaining("set password of account LocalBoss")
                .hasMessageNotContaining("short")
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("password-policy");
        assertThat(fake.passwordsSeen).singleElement().satisfies(p -> assertThat(p.wasWipedOnClose()).isTrue());
    }

    @Test
    void setPasswordWithUnknownStatusFailsWithHexCode() throws Exception {
        WindowsAccountManager manager = manager();
        ManagedAccount account = manager.resolve("");
        fake.setPasswordStatus = 0x6BA; // RPC_S_SERVER_UNAVAILABLE

        assertThatThrownBy(() -> manager.setPassword(account, Secret.of("whatever-Password-1")))
                .hasMessageContaining("0x000006BA")
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("set-password-failed");
    }

    @Test
    void passwordContainingNulIsRejectedBeforeWindowsSeesIt() throws Exception {
        WindowsAccountManager manager = manager();
        ManagedAccount account = manager.resolve("");

        assertThatThrownBy(() -> manager.setPassword(account, Secret.of("abc\0def")))
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("password-rejected");
        assertThat(fake.calls).noneMatch(c -> c.startsWith("NetUserSetInfo 1003"));
    }

    @Test
    void setPasswordFollowsTheSidWhenTheAccountWasRenamedAfterResolve() throws Exception {
        WindowsAccountManager manager = manager();
        ManagedAccount account = manager.resolve("");
        fake.users.remove("localboss");
        fake.withUser("Renamed", 500, ENABLED, UserInfo1.USER_PRIV_ADMIN);

        manager.setPassword(account, Secret.of("Another-password-7"));

        assertThat(fake.calls).contains("NetUserSetInfo 1003 Renamed");
    }

    @Test
    void markerUsesTheSamTimeWhenItAgreesWithThePasswordAge() throws Exception {
        WindowsAccountManager manager = manager();
        ManagedAccount account = manager.resolve("");
        long lastSet = Instant.parse("2026-11-22T01:00:00Z").getEpochSecond() - 1000;
        long filetime = lastSet * 10_000_000L + PasswordMarkers.FILETIME_UNIX_EPOCH + 1234;
        fake.samFiletime = java.util.OptionalLong.of(filetime);

        assertThat(manager.passwordMarker(account)).isEqualTo("sam:" + filetime);
    }

    @Test
    void policyOptionsCreateTheNamedAccountAddItToAdministratorsBySidAndEnableIt() throws Exception {
        fake.withUser("helpdesk", 1001, DISABLED, UserInfo1.USER_PRIV_USER);
        WindowsAccountManager manager = manager();
        AccountOptions policy = new AccountOptions(true, true, true, false);

        ManagedAccount created = manager.resolve("castadmin", policy);
        ManagedAccount promoted = manager.resolve("helpdesk", policy);

        assertThat(fake.calls).contains("NetUserAdd castadmin",
                "NetLocalGroupAddMembers Administrateurs " + created.id(),
                "NetLocalGroupAddMembers Administrateurs " + promoted.id(),
                "NetUserSetInfo 1008 helpdesk " + Integer.toHexString(ENABLED));
        assertThat(fake.users.get("helpdesk").privilege()).isEqualTo(UserInfo1.USER_PRIV_ADMIN);
        assertThat(fake.users.get("helpdesk").flags() & UserInfo1008.UF_ACCOUNTDISABLE).isZero();
        assertThat(manager.ignoredOptions(policy)).isEmpty();
    }

    @Test
    void policyWithOptionsOffCreatesNothingAndChangesNothing() {
        fake.withUser("helpdesk", 1001, DISABLED, UserInfo1.USER_PRIV_USER);
        WindowsAccountManager manager = manager();

        assertThatThrownBy(() -> manager.resolve("castadmin", AccountOptions.NONE))
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("account-missing");
        assertThatThrownBy(() -> manager.resolve("helpdesk", AccountOptions.NONE))
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("account-not-admin");
        assertThat(fake.calls).noneMatch(c -> c.startsWith("NetUserAdd") || c.startsWith("NetLocalGroupAddMembers")
                || c.startsWith("NetUserSetInfo"));
    }

    @Test
    void optionsHoldOnlyForTheResolveThatCarriesThem() throws Exception {
        // Options come with each policy, not with the manager: a policy that turns creation off
        // again must stop creation at once.
        WindowsAccountManager manager = manager();
        manager.resolve("castadmin", new AccountOptions(true, true, false, false));

        assertThatThrownBy(() -> manager.resolve("other", AccountOptions.NONE))
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("account-missing");
        assertThat(fake.calls).doesNotContain("NetUserAdd other");
    }
}
