package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.castellan.cli.CliException;
import org.castellan.cli.Session;
import org.castellan.cli.output.Table;

/**
 * The few ways the resource commands print an answer: {@code -o json} is always the server's JSON;
 * text is a table (lists), FIELD VALUE lines (show), the new id alone on stdout (create, so
 * {@code id=$(castellan groups create ops)} works), or one line saying what was done.
 */
final class Show {
    private Show() {}

    static void list(Session session, JsonNode rows, Table table, Consumer<JsonNode> row) {
        if (session.output().json()) {
            session.output().printJson(rows);
            return;
        }
        rows.forEach(row);
        session.output().printTable(table);
    }

    static void object(Session session, String context, JsonNode answer) {
        if (session.output().json()) {
            session.output().printJson(answer);
            return;
        }
        if (!answer.isObject()) {
            throw new CliException(CliException.FAILED, context + ": the server's answer is not an object");
        }
        session.output().printFields(answer);
    }

    /**
     * As {@link #object}, with names beside the ids in text: {@code refs} maps a field to the kind
     * prefix of its bare ids ({@code members} → {@code user:}), or to {@code ""} when its elements
     * are references already ({@code user-group:ID}). JSON stays the server's.
     */
    static void objectWithNames(Session session, String context, JsonNode answer, java.util.Map<String, String> refs) {
        if (session.output().json() || !answer.isObject()) {
            object(session, context, answer);
            return;
        }
        NameBook names = new NameBook(session);
        ObjectNode shown = answer.deepCopy();
        refs.forEach((field, prefix) -> {
            if (shown.get(field) != null && shown.get(field).isArray()) {
                shown.put(field, names.joined(shown.get(field), prefix, true));
            }
        });
        session.output().printFields(shown);
    }

    /** A created resource: its id alone on stdout, what was made on stderr. */
    static void created(Session session, String context, JsonNode answer, String what) {
        if (session.output().json()) {
            session.output().printJson(answer);
            return;
        }
        String id = answer.path("id").asText(null);
        if (id == null) {
            throw new CliException(CliException.FAILED, context + ": the server's answer holds no id");
        }
        session.output().printLine(id);
        session.output().note("created " + what + " (id " + id + ")");
    }

    /**
     * An action (disable, delete, ...): text says what was done; json prints the server's answer,
     * or {@code summary} when the answer has no body (204).
     */
    static void done(Session session, JsonNode answer, ObjectNode summary, String line) {
        if (session.output().json()) {
            session.output().printJson(answer.isMissingNode() ? summary : answer);
            return;
        }
        session.output().printLine(line);
    }
}
