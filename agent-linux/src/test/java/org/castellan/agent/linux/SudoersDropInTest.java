package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.castellan.agent.spi.PlatformException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SudoersDropInTest {
    @Test
    void theDropInCarriesSudosOwnNotAfterInUtc() {
        String text = SudoersDropIn.render("ann", Instant.parse("2026-12-02T14:05:09Z"));
        assertThat(text).endsWith("\nann ALL=(ALL:ALL) NOTAFTER=20261202140509Z ALL\n");
        assertThat(SudoersDropIn.fileName("ann")).isEqualTo("castellan-jit-ann").doesNotContain(".");
    }

    @Test
    void namesSudoersWouldReadAsAliasesReservedWordsOrSkippedFilesAreRefusedBeforeAnythingIsWritten(@TempDir Path dir)
            throws Exception {
        SudoersAdminRights rights = new SudoersAdminRights(dir, SudoersDropIn::render);
        for (String bad : new String[] {"ALL", "ADMINS", "ann.smith", "ann smith", "ann,bob", "-x", "ann\nALL", "",
                "a23456789012345678901234567890123"}) {
            assertThatThrownBy(() -> rights.grant(bad, Instant.now().plusSeconds(60))).as(bad)
                    .isInstanceOf(PlatformException.class)
                    .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo("unsupported-user"));
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
        assertThat(SudoersDropIn.validUser("svc_backup-2")).isTrue();
    }
}
