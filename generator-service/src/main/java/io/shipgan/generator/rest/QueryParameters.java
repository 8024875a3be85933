package io.shipgan.generator.rest;

import java.util.List;
import java.util.Locale;

/**
 * Reads request parameters from their raw text, so that a value that is not a number gets the same 400 naming
 * the parameter as one out of range, instead of a framework 404.
 */
final class QueryParameters {

    /** How much of a rejected value is echoed back. */
    private static final int ECHO_LIMIT = 32;

    private QueryParameters() {
    }

    /** An integer query parameter in [min, max], or {@code fallback} when it is absent. */
    static long boundedLong(String name, String raw, long fallback, long min, long max) {
        if (raw == null) {
            return fallback;
        }
        return parseBounded("query parameter", name, raw, min, max);
    }

    /** An integer query parameter that must be given. */
    static long requiredLong(String name, String raw, long min, long max) {
        if (raw == null) {
            throw new InvalidParameterException("query parameter '" + name + "' is required: an integer from "
                    + min + " to " + max);
        }
        return parseBounded("query parameter", name, raw, min, max);
    }

    /** An integer path parameter in [min, max]. */
    static long pathLong(String name, String raw, long min, long max) {
        return parseBounded("path parameter", name, raw, min, max);
    }

    /** One of the allowed words (case-insensitive), or {@code fallback} when absent; returned in lower case. */
    static String choice(String name, String raw, String fallback, List<String> allowed) {
        if (raw == null) {
            return fallback;
        }
        String value = raw.strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw new InvalidParameterException("query parameter '" + name + "' must be one of "
                    + String.join(", ", allowed) + "; got '" + echo(raw) + "'");
        }
        return value;
    }

    private static long parseBounded(String kind, String name, String raw, long min, long max) {
        long value;
        try {
            value = Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw invalid(kind, name, raw, min, max);
        }
        if (value < min || value > max) {
            throw invalid(kind, name, raw, min, max);
        }
        return value;
    }

    private static InvalidParameterException invalid(String kind, String name, String raw, long min, long max) {
        return new InvalidParameterException(kind + " '" + name + "' must be an integer from " + min + " to "
                + max + "; got '" + echo(raw) + "'");
    }

    static String echo(String raw) {
        return raw.length() > ECHO_LIMIT ? raw.substring(0, ECHO_LIMIT) + "…" : raw;
    }
}
