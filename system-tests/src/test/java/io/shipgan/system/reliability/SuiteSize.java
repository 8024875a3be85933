package io.shipgan.system.reliability;

/**
 * How big the reliability suite's runs are: CI runs the defaults, which keep the suite within a few minutes; the
 * README's long run raises them on the command line, e.g. {@code -Dshipgan.reliability.load-seconds=300}.
 * Failsafe hands Maven's {@code -D} properties to the test JVM.
 */
public final class SuiteSize {

    private static final String PREFIX = "shipgan.reliability.";

    private SuiteSize() {
    }

    /** The integer {@code shipgan.reliability.<key>}, or {@code ciDefault} when it is not set. */
    public static int integer(String key, int ciDefault) {
        String value = System.getProperty(PREFIX + key);
        if (value == null || value.isBlank()) {
            return ciDefault;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be a whole number, not '" + value + "'", e);
        }
    }
}
