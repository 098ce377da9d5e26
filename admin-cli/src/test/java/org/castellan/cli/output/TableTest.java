package org.castellan.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
    private static String render(Table table) {
        StringWriter text = new StringWriter();
        table.printTo(new PrintWriter(text, true));
        return text.toString();
    }

    @Test
    void columnsAreAlignedToTheWidestCellWithoutTrailingBlanks() {
        String text = render(Table.withColumns("ID", "NAME", "X").row("1", "a much longer name", "y").row("22", null, ""));

        assertThat(text.lines()).containsExactly(
                "ID  NAME                X",
                "1   a much longer name  y",
                "22  -                   ");
    }

    @Test
    void newlinesInACellCannotBreakTheRow() {
        String text = render(Table.withColumns("A", "B").row("line1\nline2", "x"));

        assertThat(text.lines()).hasSize(2);
        assertThat(text).contains("line1 line2");
    }

    @Test
    void rowWithTheWrongNumberOfCellsIsABug() {
        assertThatThrownBy(() -> Table.withColumns("A", "B").row("only one"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
