package org.castellan.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;

/** The audit export's CSV records: RFC 4180 quoting and CRLF, and no cell a spreadsheet would run as a formula. */
@NoDatabase("no database, no server: the same on either backend")
class AuditCsvTest {
    static String line(String... cells) {
        return new String(AuditPages.csvLine(Arrays.asList(cells)), StandardCharsets.UTF_8);
    }

    @Test
    void everyCellIsQuotedQuotesAreDoubledAndTheRecordEndsInCrlf() {
        assertThat(line("a", "b \"c\"", "", null, "x,y\r\nz")).isEqualTo("\"a\",\"b \"\"c\"\"\",\"\",\"\",\"x,y\r\nz\"\r\n");
    }

    @Test
    void cellsThatASpreadsheetWouldRunAsAFormulaGetALeadingApostrophe() {
        for (String formula : List.of("=1+1", "+1", "-2", "@SUM(A1)", "\tcmd", "\rcmd")) {
            assertThat(line(formula)).as(formula).isEqualTo("\"'" + formula + "\"\r\n");
        }
        assertThat(line("ticket 99 = done", "a-b")).isEqualTo("\"ticket 99 = done\",\"a-b\"\r\n");
    }
}
