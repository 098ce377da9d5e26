package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OsReleaseParserTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "debian-12|Debian GNU/Linux 12 (bookworm)",
            "ubuntu-22.04|Ubuntu 22.04.4 LTS",
            "rhel-9|Red Hat Enterprise Linux 9.3 (Plow)",
            "alpine-3.19|Alpine Linux v3.19"})
    void prettyNameIsReadFromRecordedFiles(String file, String expected) {
        assertThat(OsReleaseParser.prettyName(Resources.text("os-release/" + file))).isEqualTo(expected);
    }

    @Test
    void withoutPrettyNameNameAndVersionAreUsedWithQuotesUndone() {
        assertThat(OsReleaseParser.prettyName(Resources.text("os-release/no-pretty-name")))
                .isEqualTo("Tiny Linux 1.0 \"quoted\"");
    }

    @Test
    void unquotedValuesAndCommentsAreHandled() {
        assertThat(OsReleaseParser.parse(Resources.text("os-release/alpine-3.19")))
                .containsEntry("ID", "alpine").containsEntry("VERSION_ID", "3.19.1");
        assertThat(OsReleaseParser.parse("# NAME=no\n\nbad line\nID=x\n")).containsOnlyKeys("ID");
    }

    @Test
    void emptyTextGivesPlainLinux() {
        assertThat(OsReleaseParser.prettyName("")).isEqualTo("Linux");
    }
}
