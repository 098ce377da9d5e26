package org.castellan.agent.windows.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Read-only checks of the real netapi32/advapi32 calls on a Windows CI machine (changes nothing). */
@EnabledOnOs(OS.WINDOWS)
class JnaLocalAccountsWindowsTest {
    private final JnaLocalAccounts accounts = new JnaLocalAccounts();

    @Test
    void accountDomainSidIsTheMachineSid() throws Exception {
        assertThat(accounts.accountDomainSid()).matches("S-1-5-21-\\d+-\\d+-\\d+");
    }

    @Test
    void rid500ResolvesToALocalAdministratorWhateverItsName() throws Exception {
        String sid = Sids.builtinAdministrator(accounts.accountDomainSid());
        SidAccount account = accounts.lookupSid(sid).orElseThrow();

        LocalUser user = accounts.user(account.name()).orElseThrow();

        assertThat(user.sid()).isEqualToIgnoringCase(sid);
        assertThat(user.privilege()).isEqualTo(org.castellan.agent.windows.jna.UserInfo1.USER_PRIV_ADMIN);
    }

    @Test
    void administratorsGroupResolvesBySid() throws Exception {
        assertThat(accounts.lookupSid(Sids.BUILTIN_ADMINISTRATORS)).isPresent();
    }

    @Test
    void unknownUserIsEmptyNotAnError() throws Exception {
        assertThat(accounts.user("castellan-no-such-user")).isEmpty();
    }

    @Test
    void ciRunnerIsNotADomainController() throws Exception {
        assertThat(accounts.isDomainController()).isFalse();
    }
}
