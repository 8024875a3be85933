package io.shipgan.generator.rest;

/**
 * Reads numeric query parameters from their raw text, so that a value that is not a number gets the same
 * 400 naming the parameter as one out of range, instead of a framework 404.
 */
final class QueryParameters {

    /** How much of a rejected value is echoed back. */
    private static final int ECHO_LIMIT = 32;

    private QueryParameters() {
    }

    /** An integer in [min, max], or {@code fallback} when the parameter is absent. */
    static long boundedLong(String name, String raw, long fallback, long min, long max) {
        if (raw == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw invalid(name, raw, min, max);
        }
        if (value < min || value > max) {
            throw invalid(name, raw, min, max);
        }
        return value;
    }

    private static InvalidParameterException invalid(String name, String raw, long min, long max) {
        String shown = raw.length() > ECHO_LIMIT ? raw.substring(0, ECHO_LIMIT) + "…" : raw;
        return new InvalidParameterException("query parameter '" + name + "' must be an integer from " + min
                + " to " + max + "; got '" + shown + "'");
    }
}
