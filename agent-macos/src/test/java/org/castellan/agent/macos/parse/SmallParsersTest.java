package org.castellan.agent.macos.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.castellan.agent.macos.TestResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sw_vers, fdesetup status, dscl -read/-list and dscl session errors. */
class SmallParsersTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "macos12-product-version.txt, 12.7.6",
        "macos13-product-version.txt, 13.6.9",
        "macos14-full.txt, 14.7",
        "macos15-full.txt, 15.1.1",
    })
    void readsTheProductVersion(String file, String expected) throws Exception {
        assertThat(ProductVersion.parse(TestResources.text("outputs/sw_vers/" + file))).isEqualTo(expected);
    }

    @Test
    void productVersionMustLookLikeOne() {
        assertThatThrownBy(() -> ProductVersion.parse("sw_vers: command not found\n")).isInstanceOf(UnexpectedOutputException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "on.txt, ON",
        "off.txt, OFF",
        "encrypting.txt, ON",
        "deferred.txt, OFF",
        "on-deferred-user.txt, ON",
    })
    void readsFileVaultStatus(String file, FileVaultStatus expected) throws Exception {
        assertThat(FileVaultStatus.parse(TestResources.text("outputs/fdesetup/" + file))).isEqualTo(expected);
    }

    @Test
    void fileVaultStatusErrorIsNotOff() {
        assertThatThrownBy(() -> FileVaultStatus.parse("Error: This command requires root.\n")).isInstanceOf(UnexpectedOutputException.class);
    }

    @Test
    void readsSingleLineAndIndentedMultiLineAttributes() throws Exception {
        assertThat(DsclRecord.uniqueId("UniqueID: 501\n", "alice")).isEqualTo("501");
        assertThat(DsclRecord.attribute("dsAttrTypeNative:ShadowHashData:\n 6270 6c69\n 7374\nNext: x\n", "ShadowHashData"))
                .contains("6270 6c69\n7374");
        assertThat(DsclRecord.attribute("RealName:\n Castellan Admin\n", "RealName")).contains("Castellan Admin");
        assertThat(DsclRecord.attribute("UniqueIDs: 3\n", "UniqueID")).isEmpty();
    }

    @Test
    void uniqueIdThatIsNotANumberIsAnError() {
        assertThatThrownBy(() -> DsclRecord.uniqueId("No such key: UniqueID\n", "alice")).isInstanceOf(UnexpectedOutputException.class);
    }

    @Test
    void listsEveryUserIdIncludingNegativeOnes() throws Exception {
        var ids = UserIdList.parse(TestResources.text("outputs/dscl-list/users.txt"));

        assertThat(ids).containsEntry("nobody", -2L).containsEntry("alice", 501L).containsEntry("hidden", 499L).hasSize(8);
    }

    @Test
    void dsclSessionErrorsAreFoundOnEitherStream() {
        assertThat(DsclErrors.firstError("<dscl_cmd> DS Error: -14165 (eDSAuthPasswordQualityCheckFailed)\n"))
                .contains("<dscl_cmd> DS Error: -14165 (eDSAuthPasswordQualityCheckFailed)");
        assertThat(DsclErrors.firstError("passwd: DS error: eDSAuthFailed\n")).contains("passwd: DS error: eDSAuthFailed");
        assertThat(DsclErrors.firstError("<main> attribute status: eDSRecordNotFound\n")).isPresent();
        assertThat(DsclErrors.firstError("Too few parameters for passwd operation\n")).isPresent();
        assertThat(DsclErrors.firstError("")).isEmpty();
    }
}
