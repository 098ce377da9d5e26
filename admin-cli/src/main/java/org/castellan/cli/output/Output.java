package org.castellan.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import org.castellan.cli.OutputFormat;
import org.castellan.cli.http.LenientJson;
import org.castellan.protocol.Secret;

/**
 * Where results go. Results go to stdout, everything for people (warnings, notes) to stderr, so
 * that {@code $(castellan password get web01)} captures the password and nothing else.
 */
public final class Output {
    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;

    public Output(PrintWriter out, PrintWriter err, OutputFormat format) {
        this.out = out;
        this.err = err;
        this.format = format;
    }

    public boolean json() {
        return format == OutputFormat.JSON;
    }

    /** {@code -o wide}: tables with every column. */
    public boolean wide() {
        return format == OutputFormat.WIDE;
    }

    public void printJson(JsonNode node) {
        try {
            out.println(LenientJson.mapper().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON", e);
        }
    }

    public void printTable(Table table) {
        table.printTo(out);
    }

    /** Every field of an object as FIELD VALUE lines, in the server's order, so new fields show up too. */
    public void printFields(JsonNode object) {
        Table table = Table.withoutHeader(2);
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            table.row(field.getKey() + ":", Values.text(field.getValue()));
        }
        table.printTo(out);
    }

    /** A secret alone on its line, written from its characters, which are wiped afterwards. */
    public void printSecret(Secret secret) {
        char[] chars = secret.chars();
        try {
            out.write(chars);
            out.println();
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    public void printLine(String line) {
        out.println(line);
    }

    public void warn(String message) {
        err.println("castellan: warning: " + message);
    }

    public void note(String message) {
        err.println("castellan: " + message);
    }

    /** Extra lines on stderr (a list of candidates after an error, say). */
    public PrintWriter err() {
        return err;
    }

    public void flush() {
        out.flush();
        err.flush();
    }
}
