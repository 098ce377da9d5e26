package org.castellan.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code -o text} (also {@code -o table}: tables, and secrets alone on stdout), {@code -o wide}
 * (tables with every column; else as text) or {@code -o json} (the server's JSON).
 */
public enum OutputFormat {
    TEXT, WIDE, JSON;

    /** Accepts {@code text}, {@code table} and {@code json} in any case. */
    public static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "text", "table" -> TEXT;
                case "wide" -> WIDE;
                case "json" -> JSON;
                default -> throw new TypeConversionException("expected text, table, wide or json, got '" + value + "'");
            };
        }
    }
}
