package org.castellan.protocol;

import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * The parsing limits of every JSON reader of Castellan's: the shared mapper's ({@link Json}) and
 * the CLI's streaming readers, which must not build a mapper (see the CLI's StreamingJson). Kept
 * apart from {@link Json} because touching that class builds its mapper.
 */
public final class JsonLimits {
    private JsonLimits() {}

    /** Nesting, string and number lengths beyond anything Castellan sends, far below what would hurt. */
    public static StreamReadConstraints readConstraints() {
        return StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(70_000).maxNumberLength(30).build();
    }
}
