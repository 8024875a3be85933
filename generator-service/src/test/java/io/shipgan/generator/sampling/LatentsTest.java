package io.shipgan.generator.sampling;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class LatentsTest {

    @Test
    void sampleIsTheSameWhateverCountWasAsked() {
        float[] single = Latents.forRequest(42L, 1, 100);
        float[] four = Latents.forRequest(42L, 4, 100);
        float[] sixtyFour = Latents.forRequest(42L, 64, 100);

        assertArrayEquals(single, Arrays.copyOfRange(four, 0, 100));
        assertArrayEquals(Latents.forSample(42L, 3, 100), Arrays.copyOfRange(four, 300, 400));
        assertArrayEquals(Arrays.copyOfRange(four, 0, 400), Arrays.copyOfRange(sixtyFour, 0, 400));
    }

    @Test
    void differentSeedsAndIndicesGiveDifferentLatents() {
        assertFalse(Arrays.equals(Latents.forSample(1L, 0, 100), Latents.forSample(2L, 0, 100)));
        assertFalse(Arrays.equals(Latents.forSample(1L, 0, 100), Latents.forSample(1L, 1, 100)));
        // Seed S sample 1 must not be seed S+1 sample 0: streams are not shifted copies of each other.
        assertFalse(Arrays.equals(Latents.forSample(7L, 1, 100), Latents.forSample(8L, 0, 100)));
    }

    @Test
    void staysTheSameFunctionAcrossReleases() {
        // Pinned: replicas of different builds must agree on the latent of (seed, index).
        float[] latent = Latents.forSample(42L, 0, 4);
        assertArrayEquals(new float[] {0.46556506f, -0.77285933f, -1.6658862f, -1.5583825f}, latent);
    }

    @Test
    void valuesAreStandardNormal() {
        float[] values = Latents.forRequest(123L, 1000, 100);
        double sum = 0;
        double squares = 0;
        int beyondThreeSigma = 0;
        for (float v : values) {
            sum += v;
            squares += v * v;
            if (Math.abs(v) > 3) {
                beyondThreeSigma++;
            }
        }
        double mean = sum / values.length;
        double variance = squares / values.length - mean * mean;
        assertEquals(0.0, mean, 0.02);
        assertEquals(1.0, variance, 0.03);
        // 0.27 % of a standard normal lies beyond 3 sigma: about 270 of 100 000.
        assertEquals(270, beyondThreeSigma, 80);
    }

    @Test
    void fillsAnOddLatentSize() {
        float[] latent = Latents.forSample(5L, 0, 7);
        assertEquals(7, latent.length);
        assertArrayEquals(Arrays.copyOf(Latents.forSample(5L, 0, 8), 7), latent);
    }
}
