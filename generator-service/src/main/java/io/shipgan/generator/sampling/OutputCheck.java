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
        int i = firstViolationIndex(values);
        if (i < 0) {
            return null;
        }
        float value = values[i];
        return Float.isFinite(value)
                ? "gave " + value + " at value " + i + ", outside [-1, 1]"
                : "gave " + value + " at value " + i + "; images must be finite";
    }

    /** Index of the first value that is not finite or lies outside [-1, 1]; -1 when there is none. */
    public static int firstViolationIndex(float[] values) {
        for (int i = 0; i < values.length; i++) {
            float value = values[i];
            if (!Float.isFinite(value) || value < -1f || value > 1f) {
                return i;
            }
        }
        return -1;
    }
}
