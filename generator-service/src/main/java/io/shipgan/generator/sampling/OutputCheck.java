package io.shipgan.generator.sampling;

/**
 * The promise every generator output keeps: each value finite and in [-1, 1]. Checked on the probe run before a
 * candidate may serve, and on every canary request, with a tolerance of a few float steps: ONNX Runtime's CPU tanh
 * returns 1.0000001 for saturated inputs, which is rounding, not a broken model. What is served is clamped to
 * exactly [-1, 1] ({@link #clamp}).
 */
public final class OutputCheck {

    /** How far past +-1 a value may lie and still count as tanh's rounding. */
    public static final float TOLERANCE = 1e-5f;

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
            if (!Float.isFinite(value) || value < -1f - TOLERANCE || value > 1f + TOLERANCE) {
                return i;
            }
        }
        return -1;
    }

    /** Clamps the values, in place, to exactly [-1, 1]. */
    public static void clamp(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.max(-1f, Math.min(1f, values[i]));
        }
    }
}
