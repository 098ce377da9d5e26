package org.castellan.server.web;

import java.time.Duration;
import org.castellan.protocol.Secret;

/**
 * A secret on a console page: shown only when asked for (a disclosure widget, so it works without
 * script), large and monospaced, with a copy button, its phonetic spelling, and auto-hide after
 * {@code hideAfter} (console.js removes it from the page).
 */
final class SecretBox {
    private SecretBox() {}

    static String html(String id, Secret value, Duration hideAfter) {
        String text = value.reveal();
        return "<details class=\"secret\" id=\"" + id + "\" data-hide-after=\"" + hideAfter.toSeconds() + "\">"
                + "<summary>Click to show</summary><output class=\"secret-value\">" + Html.esc(text) + "</output>"
                + "<button type=\"button\" class=\"copy\" data-copy>Copy</button>"
                + "<p class=\"phonetic\">" + Html.esc(String.join(" · ", Phonetic.spell(value.chars()))) + "</p>"
                + "</details>";
    }
}
