package io.shipgan.generator.sampling;

/**
 * The promise every generator output keeps: each value finite and in [-1, 1]. Checked on the probe run before a
 * candidate may serve, and on every canary request.
 */
public final class OutputCheck {

    private OutputCheck() {
    }

    /** Why the values break the promise, naming the first bad one; null when they keep it. */
    public static String findViolation(float[] values) {
        for (int i = 0; i < values.length; i++) {
            float value = values[i];
            if (!Float.isFinite(value)) {
                return "gave " + value + " at value " + i + "; images must be finite";
            }
            if (value < -1f || value > 1f) {
                return "gave " + value + " at value " + i + ", outside [-1, 1]";
            }
        }
        return null;
    }
}
