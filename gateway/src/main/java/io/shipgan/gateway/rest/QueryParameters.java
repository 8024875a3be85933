package io.shipgan.gateway.rest;

import jakarta.ws.rs.core.MultivaluedMap;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict reading of query parameters: only the route's own names, each at most once, numbers in range, words from
 * their list, and messages that name the parameter.
 */
final class QueryParameters {

    /** What a label may look like: the generator decides which labels exist, the gateway only their form. */
    static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final MultivaluedMap<String, String> values;

    /**
     * Reads {@code values}, refusing any parameter not in {@code allowed}.
     *
     * @throws ProblemException 400 naming the first unknown parameter
     */
    QueryParameters(MultivaluedMap<String, String> values, String... allowed) {
        this.values = values;
        Set<String> known = Set.of(allowed);
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                throw invalid("unknown parameter '" + abbreviate(name) + "'; "
                        + (allowed.length == 0 ? "this route takes no parameters"
                        : "this route takes " + String.join(", ", allowed)));
            }
        }
    }

    /** For routes that take no query parameters: any one given is a 400 naming it. */
    static void requireNone(MultivaluedMap<String, String> values) {
        new QueryParameters(values);
    }

    /** The parameter's single value, or null when absent. */
    String single(String name) {
        List<String> given = values.get(name);
        if (given == null || given.isEmpty()) {
            return null;
        }
        if (given.size() > 1) {
            throw invalid("parameter '" + name + "' was given " + given.size() + " times; give it once");
        }
        return given.get(0);
    }

    int intInRange(String name, int defaultValue, int min, int max) {
        Integer value = optionalIntInRange(name, min, max);
        return value == null ? defaultValue : value;
    }

    /** An integer in [min, max], or null when absent (the generator's default applies). */
    Integer optionalIntInRange(String name, int min, int max) {
        String text = single(name);
        if (text == null) {
            return null;
        }
        long value = parseLong(name, text, "an integer from " + min + " to " + max);
        if (value < min || value > max) {
            throw invalid("parameter '" + name + "' must be from " + min + " to " + max + ", was " + value);
        }
        return (int) value;
    }

    Long optionalLong(String name) {
        String text = single(name);
        return text == null ? null : parseLong(name, text, anyLong());
    }

    long requiredLong(String name) {
        Long value = optionalLong(name);
        if (value == null) {
            throw invalid("parameter '" + name + "' is required: " + anyLong());
        }
        return value;
    }

    /** One of the allowed words, matched without regard to case and passed on in lower case; null when absent. */
    String optionalChoice(String name, List<String> allowed) {
        String text = single(name);
        if (text == null) {
            return null;
        }
        String word = text.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(word)) {
            throw invalid("parameter '" + name + "' must be one of " + String.join(", ", allowed) + ", was '"
                    + abbreviate(text) + "'");
        }
        return word;
    }

    /** A label name of the allowed form, passed on as given; null when absent. */
    String optionalLabel(String name) {
        String text = single(name);
        if (text != null && !LABEL.matcher(text).matches()) {
            throw invalid("parameter '" + name + "' must be a label name: 1 to 64 letters, digits, '.', '_' or "
                    + "'-', starting with a letter or digit (e.g. ship, no-ship), was '" + abbreviate(text) + "'");
        }
        return text;
    }

    /** A path parameter that must be an integer in [min, max]. */
    static long pathLong(String name, String text, long min, long max) {
        String expected = "an integer from " + min + " to " + max;
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw invalid("path parameter '" + name + "' must be " + expected + ", was '" + abbreviate(text) + "'");
        }
        if (value < min || value > max) {
            throw invalid("path parameter '" + name + "' must be " + expected + ", was " + value);
        }
        return value;
    }

    private static String anyLong() {
        return "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
    }

    private static long parseLong(String name, String text, String expected) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw invalid("parameter '" + name + "' must be " + expected + ", was '" + abbreviate(text) + "'");
        }
    }

    private static String abbreviate(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "…";
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problem.invalidParameter(detail));
    }
}
