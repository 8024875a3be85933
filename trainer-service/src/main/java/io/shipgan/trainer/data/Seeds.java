package io.shipgan.trainer.data;

/**
 * Seeds of the run's random streams, each derived from the run's seed, a stream id and a counter (usually the
 * step). A stream therefore never depends on how much another one drew, and a resumed run draws what an
 * uninterrupted one would have without saving any generator state.
 */
public final class Seeds {

    /** Stream ids. */
    public static final long AUGMENTATION = 1;
    public static final long LATENTS = 2;
    public static final long DIFF_AUGMENT = 3;
    public static final long SAMPLE_LATENTS = 4;
    public static final long SCORE_LATENTS = 5;
    /** The classifier uses CLASSIFIER (order) and CLASSIFIER + 1 (turns). */
    public static final long CLASSIFIER = 10;
    /** Shuffles use SHUFFLE + label index. */
    public static final long SHUFFLE = 100;

    private Seeds() {
    }

    /** A well-mixed seed for one counter value of one stream (SplitMix64's finaliser over the three parts). */
    public static long mix(long seed, long stream, long counter) {
        return finalise(finalise(finalise(seed) ^ stream * 0x9E3779B97F4A7C15L) ^ counter * 0xC2B2AE3D27D4EB4FL);
    }

    private static long finalise(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
