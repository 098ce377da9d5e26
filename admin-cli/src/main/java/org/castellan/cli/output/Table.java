package org.castellan.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A text table with left-aligned columns two spaces apart. The last column is not padded, so
 * lines carry no trailing blanks and {@code cut}/{@code awk} see clean fields.
 */
public final class Table {
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private int maxWidth;
    private boolean[] shrinkable;

    private Table(String[] headers) {
        this.headers = headers;
    }

    /** A table whose first line names the columns. */
    public static Table withColumns(String... headers) {
        return new Table(headers.clone());
    }

    /** A table without a header line (for FIELD VALUE listings). */
    public static Table withoutHeader(int columns) {
        return new Table(new String[columns]);
    }

    public Table row(String... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.length + " columns");
        }
        String[] copy = Arrays.stream(cells).map(cell -> cell == null ? "-" : oneLine(cell)).toArray(String[]::new);
        rows.add(copy);
        return this;
    }

    /**
     * Lines at most {@code width} characters: while too wide, the widest of the {@code shrinkable}
     * columns loses a character (down to its header's width, at least 6); a cut cell ends in
     * {@code …}. The other columns keep their width.
     */
    public Table fitTo(int width, int... shrinkable) {
        this.maxWidth = width;
        this.shrinkable = new boolean[headers.length];
        for (int column : shrinkable) {
            this.shrinkable[column] = true;
        }
        return this;
    }

    public int size() {
        return rows.size();
    }

    public void printTo(PrintWriter out) {
        boolean hasHeader = headers.length > 0 && headers[0] != null;
        int[] widths = new int[headers.length];
        if (hasHeader) {
            measure(headers, widths);
        }
        rows.forEach(row -> measure(row, widths));
        if (maxWidth > 0) {
            shrink(widths, hasHeader);
        }
        if (hasHeader) {
            out.println(line(headers, widths));
        }
        rows.forEach(row -> out.println(line(row, widths)));
    }

    private void shrink(int[] widths, boolean hasHeader) {
        while (true) {
            int total = 2 * (widths.length - 1);
            int widest = -1;
            for (int i = 0; i < widths.length; i++) {
                total += widths[i];
                int floor = Math.max(6, hasHeader ? headers[i].length() : 0);
                if (shrinkable[i] && widths[i] > floor && (widest < 0 || widths[i] > widths[widest])) {
                    widest = i;
                }
            }
            if (total <= maxWidth || widest < 0) {
                break;
            }
            widths[widest]--;
        }
    }

    private static void measure(String[] cells, int[] widths) {
        for (int i = 0; i < cells.length; i++) {
            widths[i] = Math.max(widths[i], cells[i].length());
        }
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append("  ");
            }
            String cell = cells[i].length() > widths[i] ? cells[i].substring(0, widths[i] - 1) + "…" : cells[i];
            line.append(cell);
            if (i < cells.length - 1) {
                line.append(" ".repeat(widths[i] - cell.length()));
            }
        }
        return line.toString();
    }

    /** A cell must not break the row: control characters (newlines from a server message) become spaces. */
    private static String oneLine(String cell) {
        StringBuilder clean = new StringBuilder(cell.length());
        cell.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return clean.toString();
    }
}
