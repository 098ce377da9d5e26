package org.castellan.server.web;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.castellan.server.http.ApiException;

/**
 * Form fields as the admin pages render them, and form values as they read them. Reading only
 * turns text into the shape the API's request records take (numbers, times, lists): every rule
 * about what is valid stays in the shared route methods ({@code Names}, {@code TextRules}), so a
 * form and a JSON body are refused for the same reasons with the same messages.
 */
final class Forms {
    /** Form values longer than this are refused before anything looks at them (the field rules are far shorter). */
    static final int MAX_VALUE = 4000;
    private static final Pattern LOCAL_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[\\s,]+");

    private Forms() {}

    /** One value; null when absent or empty. */
    static String text(Context ctx, String field) {
        String value = ctx.formParam(field);
        if (value == null || value.isEmpty()) {
            return null;
        }
        return bounded(field, value);
    }

    /** Every value of a multi-valued field (a multiple select, checkboxes), empty ones dropped. */
    static List<String> values(Context ctx, String field) {
        List<String> out = new ArrayList<>();
        for (String value : ctx.formParams(field)) {
            if (value != null && !value.isEmpty()) {
                out.add(bounded(field, value));
            }
        }
        return out;
    }

    /** A list typed into one field, separated by commas, spaces or new lines (host names). */
    static List<String> list(Context ctx, String field) {
        String value = text(ctx, field);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : LIST_SEPARATOR.split(value.strip())) {
            if (!part.isEmpty()) {
                out.add(part);
            }
        }
        return out;
    }

    static boolean checked(Context ctx, String field) {
        return "on".equals(ctx.formParam(field)) || "true".equals(ctx.formParam(field));
    }

    static Integer integer(Context ctx, String field) {
        String value = text(ctx, field);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid-" + field, "field '" + field + "' must be a whole number");
        }
    }

    /** A time in UTC, as {@code 2030-01-31T00:00} (what a datetime-local field sends) or an ISO instant. */
    static Instant instant(Context ctx, String field) {
        String value = text(ctx, field);
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            return LOCAL_TIME.matcher(v).matches() ? LocalDateTime.parse(v).toInstant(ZoneOffset.UTC) : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid-" + field, "field '" + field
                    + "' must be a date and time in UTC such as 2030-01-31T00:00");
        }
    }

    private static String bounded(String field, String value) {
        if (value.length() > MAX_VALUE) {
            throw ApiException.badRequest("invalid-" + field, "field '" + field + "' is longer than " + MAX_VALUE
                    + " characters");
        }
        return value;
    }

    // ---- rendering

    /** A form posting to {@code action} with its CSRF field; {@code id} names it for tests and labels. */
    static String form(Context ctx, String action, String id, String cssClass, String fields) {
        return "<form method=\"post\" action=\"" + Html.esc(action) + "\" id=\"" + Html.esc(id) + "\" class=\""
                + cssClass + "\">" + Html.csrfField(ctx) + fields + "</form>";
    }

    /** A one-button form (delete, revoke, disable...). */
    static String button(Context ctx, String action, String id, String label) {
        return form(ctx, action, id, "inline", "<button type=\"submit\">" + Html.esc(label) + "</button>");
    }

    static String input(String id, String name, String label, String type, int maxLength, String value, boolean required) {
        return "<label for=\"" + id + "\">" + Html.esc(label) + "</label><input id=\"" + id + "\" name=\"" + name
                + "\" type=\"" + type + "\" autocomplete=\"off\"" + (maxLength > 0 ? " maxlength=\"" + maxLength + "\"" : "")
                + (required ? " required" : "") + " value=\"" + Html.esc(value) + "\">";
    }

    static String checkbox(String id, String name, String value, String label, boolean checked) {
        return "<label class=\"check\"><input type=\"checkbox\" id=\"" + id + "\" name=\"" + name + "\" value=\""
                + Html.esc(value) + "\"" + (checked ? " checked" : "") + "> " + Html.esc(label) + "</label>";
    }

    record Option(String value, String label) {}

    static String select(String id, String name, String label, boolean multiple, Collection<Option> options,
                         Collection<String> selected) {
        StringBuilder out = new StringBuilder("<label for=\"" + id + "\">" + Html.esc(label) + "</label><select id=\""
                + id + "\" name=\"" + name + "\"" + (multiple ? " multiple size=\"" + Math.min(8, Math.max(3,
                options.size())) + "\"" : "") + ">");
        for (Option o : options) {
            out.append("<option value=\"").append(Html.esc(o.value())).append("\"")
                    .append(selected.contains(o.value()) ? " selected" : "").append(">").append(Html.esc(o.label()))
                    .append("</option>");
        }
        return out.append("</select>").toString();
    }

    static String time(Instant at) {
        return at == null ? "—" : Html.esc(at.toString());
    }
}
