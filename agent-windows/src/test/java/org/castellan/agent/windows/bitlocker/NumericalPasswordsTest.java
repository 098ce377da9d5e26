package org.castellan.agent.windows.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NumericalPasswordsTest {
    @Test
    void acceptsEightBlocksOfSixDigitsEachDivisibleByEleven() {
        assertThat(NumericalPasswords.isValid("000000-000011-720885-123453-654324-111111-222222-333333".toCharArray())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "000000-000011-720885-123453-654324-111111-222222-333334", // last block not divisible by 11
        "000000-000011-720896-123453-654324-111111-222222-333333", // 720896 = 11 * 65536: over 16 bits
        "000000-000011-720885-123453-654324-111111-222222",        // 7 blocks
        "000000 000011 720885 123453 654324 111111 222222 333333", // wrong separator
        "00000-0000110-720885-123453-654324-111111-222222-333333", // misplaced dash
        "000000-000011-72088a-123453-654324-111111-222222-333333", // not a digit
        "",
    })
    void rejectsMalformedRecoveryPasswords(String value) {
        assertThat(NumericalPasswords.isValid(value.toCharArray())).isFalse();
    }
}
