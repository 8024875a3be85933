package io.shipgan.generator.sampling;

/**
 * The latent vectors fed to the generator, as a pure function of (seed, sample index).
 *
 * <p>Sample {@code i} of seed {@code S} is drawn from its own SplitMix64 stream whose start is
 * {@code mix64(mix64(S) + (i + 1) * GOLDEN_GAMMA)}; the stream's uniform doubles feed the Box–Muller transform,
 * two standard normals per pair of uniforms, {@code latentSize} floats per sample. Because no state is shared
 * between samples, sample {@code i} is the same whatever count was asked, and a request can be split into
 * batches anywhere. {@link StrictMath} keeps the logarithm and trigonometry bit-identical on every JVM and CPU,
 * so the same seed and the same checkpoint version give the same bytes on every replica.
 */
public final class Latents {

    /** SplitMix64's increment: 2^64 divided by the golden ratio, odd. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private static final double TWO_PI = 2.0 * Math.PI;

    private Latents() {
    }

    /** Latents of samples {@code 0..count-1} of {@code seed}, sample after sample, {@code latentSize} each. */
    public static float[] forRequest(long seed, int count, int latentSize) {
        float[] latents = new float[count * latentSize];
        for (int i = 0; i < count; i++) {
            fillSample(seed, i, latents, i * latentSize, latentSize);
        }
        return latents;
    }

    /** The latent of sample {@code index} of {@code seed}. */
    public static float[] forSample(long seed, int index, int latentSize) {
        float[] latent = new float[latentSize];
        fillSample(seed, index, latent, 0, latentSize);
        return latent;
    }

    private static void fillSample(long seed, int index, float[] target, int offset, int latentSize) {
        long state = mix64(mix64(seed) + (index + 1L) * GOLDEN_GAMMA);
        for (int k = 0; k < latentSize; k += 2) {
            state += GOLDEN_GAMMA;
            // 1 - u lies in (0, 1], so the logarithm never sees zero.
            double u1 = 1.0 - unitInterval(mix64(state));
            state += GOLDEN_GAMMA;
            double u2 = unitInterval(mix64(state));

            double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
            double angle = TWO_PI * u2;
            target[offset + k] = (float) (radius * StrictMath.cos(angle));
            if (k + 1 < latentSize) {
                target[offset + k + 1] = (float) (radius * StrictMath.sin(angle));
            }
        }
    }

    /** A uniform double in [0, 1) from the top 53 bits. */
    private static double unitInterval(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's output function (Stafford's variant 13): a bijection that scrambles all 64 bits. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
