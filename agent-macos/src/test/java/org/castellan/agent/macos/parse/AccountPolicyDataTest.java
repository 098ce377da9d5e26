package org.castellan.agent.macos.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.castellan.agent.macos.TestResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccountPolicyDataTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "macos12.txt, 1647249165.214102",
        "macos13.txt, 1688888888.875",
        "macos14.txt, 1709302467.123456",
        "macos15.txt, 1730000000",
    })
    void readsPasswordLastSetTime(String file, String expected) throws Exception {
        String output = TestResources.text("outputs/account-policy/" + file);

        assertThat(AccountPolicyData.passwordLastSetTime(output)).contains(expected);
    }

    @Test
    void policyWithoutPasswordLastSetTimeGivesNothing() throws Exception {
        assertThat(AccountPolicyData.passwordLastSetTime(TestResources.text("outputs/account-policy/macos15-no-last-set.txt"))).isEmpty();
    }

    @Test
    void missingAttributeGivesNothing() throws Exception {
        assertThat(AccountPolicyData.passwordLastSetTime(TestResources.text("outputs/account-policy/no-such-key.txt"))).isEmpty();
    }

    @Test
    void externalEntityIsRefusedNotResolved() {
        assertThatThrownBy(() -> AccountPolicyData.passwordLastSetTime(TestResources.text("outputs/account-policy/xxe.txt")))
                .isInstanceOf(UnexpectedOutputException.class)
                .hasMessageContaining("DOCTYPE");
    }
}
