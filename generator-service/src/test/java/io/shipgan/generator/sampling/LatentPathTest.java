package io.shipgan.generator.sampling;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatentPathTest {

    private static final int SIZE = 100;

    @Test
    void startsAndEndsExactlyOnTheTwoSeedsLatents() {
        for (LatentPath.Mode mode : LatentPath.Mode.values()) {
            float[] path = LatentPath.between(3L, 4L, 5, SIZE, mode);

            assertEquals(5 * SIZE, path.length);
            assertArrayEquals(Latents.forSample(3L, 0, SIZE), Arrays.copyOfRange(path, 0, SIZE), mode.name());
            assertArrayEquals(Latents.forSample(4L, 0, SIZE), Arrays.copyOfRange(path, 4 * SIZE, 5 * SIZE),
                    mode.name());
        }
    }

    @Test
    void slerpKeepsTheMiddleAtTheEndpointsNormWhereLerpShrinksIt() {
        float[] slerp = LatentPath.between(10L, 20L, 3, SIZE, LatentPath.Mode.SLERP);
        float[] lerp = LatentPath.between(10L, 20L, 3, SIZE, LatentPath.Mode.LERP);
        double ends = (norm(slerp, 0) + norm(slerp, 2)) / 2;

        // Two independent standard normal latents are nearly orthogonal: the straight line's middle has about
        // 1/sqrt(2) of their norm, the arc's middle about all of it.
        assertEquals(1.0, norm(slerp, 1) / ends, 0.05);
        assertEquals(1 / Math.sqrt(2), norm(lerp, 1) / ends, 0.08);
    }

    @Test
    void lerpMiddleIsTheMeanOfTheEnds() {
        float[] path = LatentPath.between(1L, 2L, 3, 4, LatentPath.Mode.LERP);
        float[] a = Latents.forSample(1L, 0, 4);
        float[] b = Latents.forSample(2L, 0, 4);
        for (int k = 0; k < 4; k++) {
            assertEquals((a[k] + b[k]) / 2, path[4 + k], 1e-6f);
        }
    }

    @Test
    void theSameSeedGivesAConstantPath() {
        float[] path = LatentPath.between(9L, 9L, 4, SIZE, LatentPath.Mode.SLERP);
        float[] latent = Latents.forSample(9L, 0, SIZE);
        for (int step = 0; step < 4; step++) {
            assertArrayEquals(latent, Arrays.copyOfRange(path, step * SIZE, (step + 1) * SIZE), "step " + step);
        }
    }

    @Test
    void refusesFewerThanTwoSteps() {
        assertThrows(IllegalArgumentException.class, () -> LatentPath.between(1L, 2L, 1, SIZE,
                LatentPath.Mode.SLERP));
    }

    private static double norm(float[] path, int step) {
        double sum = 0;
        for (int k = step * SIZE; k < (step + 1) * SIZE; k++) {
            sum += path[k] * path[k];
        }
        assertTrue(sum > 0);
        return Math.sqrt(sum);
    }
}
