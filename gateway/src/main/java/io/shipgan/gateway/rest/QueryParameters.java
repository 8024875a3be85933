package io.shipgan.gateway.rest;

import jakarta.ws.rs.core.MultivaluedMap;

import java.util.List;

/** Strict reading of query parameters: each at most once, numbers in range, messages that name the parameter. */
final class QueryParameters {

    private final MultivaluedMap<String, String> values;

    QueryParameters(MultivaluedMap<String, String> values) {
        this.values = values;
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
        String text = single(name);
        if (text == null) {
            return defaultValue;
        }
        long value = parseLong(name, text, "an integer from " + min + " to " + max);
        if (value < min || value > max) {
            throw invalid("parameter '" + name + "' must be from " + min + " to " + max + ", was " + value);
        }
        return (int) value;
    }

    Long optionalLong(String name) {
        String text = single(name);
        return text == null ? null : parseLong(name, text, "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
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
