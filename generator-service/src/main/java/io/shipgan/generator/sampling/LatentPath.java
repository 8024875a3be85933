package io.shipgan.generator.sampling;

/**
 * Latents on the way from one seed's latent to another's, for interpolation strips. The default is spherical
 * interpolation (slerp): latents are standard normal, so nearly all of them lie near a sphere of radius
 * √latentSize, and slerp stays near it, while a straight line (lerp) cuts through the low-norm middle where the
 * generator has seen few latents and draws washed-out images. {@link StrictMath} keeps every replica's path
 * bit-identical; the first and last steps are exactly the two seeds' latents.
 */
public final class LatentPath {

    /** How to walk from one latent to the other. */
    public enum Mode {
        /** Along the arc between the two: the usual slerp formula applied to the raw vectors. */
        SLERP,
        /** Along the straight line between the two. */
        LERP
    }

    /** Below this angle (radians) slerp is numerically a straight line and lerp is used instead. */
    private static final double NEARLY_PARALLEL = 1e-6;

    private LatentPath() {
    }

    /**
     * {@code steps} latents from sample 0 of {@code fromSeed} to sample 0 of {@code toSeed}, evenly spaced at
     * t = i / (steps - 1), one after another.
     */
    public static float[] between(long fromSeed, long toSeed, int steps, int latentSize, Mode mode) {
        if (steps < 2) {
            throw new IllegalArgumentException("an interpolation needs at least 2 steps, got " + steps);
        }
        float[] from = Latents.forSample(fromSeed, 0, latentSize);
        float[] to = Latents.forSample(toSeed, 0, latentSize);
        float[] path = new float[steps * latentSize];
        for (int i = 0; i < steps; i++) {
            double t = (double) i / (steps - 1);
            fillStep(from, to, t, mode, path, i * latentSize);
        }
        return path;
    }

    private static void fillStep(float[] from, float[] to, double t, Mode mode, float[] target, int offset) {
        double fromWeight = 1 - t;
        double toWeight = t;
        if (mode == Mode.SLERP) {
            double angle = angleBetween(from, to);
            if (angle > NEARLY_PARALLEL) {
                double sine = StrictMath.sin(angle);
                fromWeight = StrictMath.sin((1 - t) * angle) / sine;
                toWeight = StrictMath.sin(t * angle) / sine;
            }
        }
        for (int k = 0; k < from.length; k++) {
            target[offset + k] = (float) (fromWeight * from[k] + toWeight * to[k]);
        }
    }

    private static double angleBetween(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int k = 0; k < a.length; k++) {
            dot += (double) a[k] * b[k];
            normA += (double) a[k] * a[k];
            normB += (double) b[k] * b[k];
        }
        if (normA == 0 || normB == 0) {
            return 0;
        }
        double cosine = dot / (StrictMath.sqrt(normA) * StrictMath.sqrt(normB));
        return StrictMath.acos(Math.max(-1, Math.min(1, cosine)));
    }
}
