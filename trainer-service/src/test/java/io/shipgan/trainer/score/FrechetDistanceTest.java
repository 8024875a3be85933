package io.shipgan.trainer.score;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrechetDistanceTest {

    @Test
    void theDistanceOfASetToItselfIsZero() {
        double[][] features = gaussian(400, 16, 0, 1, new SplittableRandom(1));

        assertEquals(0, FrechetDistance.between(features, features), 1e-8);
    }

    @Test
    void diagonalGaussiansHaveTheClosedFormDistance() {
        // Two sets whose sample statistics are exactly known: +-1 patterns scaled and shifted per dimension.
        // For diagonal covariances the distance is |m1 - m2|^2 + sum (s1 - s2)^2 over the standard deviations.
        int dimensions = 3;
        double[] mean1 = {0, 1, -2};
        double[] std1 = {1, 2, 0.5};
        double[] mean2 = {1, 1, 0};
        double[] std2 = {3, 1, 0.5};
        double[][] first = balancedSigns(mean1, std1);
        double[][] second = balancedSigns(mean2, std2);

        double expected = 0;
        for (int d = 0; d < dimensions; d++) {
            expected += Math.pow(mean1[d] - mean2[d], 2) + Math.pow(std1[d] - std2[d], 2);
        }
        assertEquals(expected, FrechetDistance.between(first, second), 1e-9);
    }

    @Test
    void aShiftedSetIsFartherThanAnotherSampleOfTheSameDistribution() {
        SplittableRandom random = new SplittableRandom(3);
        double[][] reference = gaussian(2000, 8, 0, 1, random);
        double[][] sameDistribution = gaussian(2000, 8, 0, 1, random);
        double[][] shifted = gaussian(2000, 8, 0.5, 1, random);

        double sampling = FrechetDistance.between(reference, sameDistribution);
        double shift = FrechetDistance.between(reference, shifted);

        assertTrue(sampling < 0.1, "two samples of one distribution: " + sampling);
        // Mean shift of 0.5 in 8 dimensions: 8 * 0.25 = 2.
        assertEquals(2.0, shift, 0.3);
    }

    @Test
    void oneVectorHasNoCovariance() {
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(new double[][] {{1, 2}},
                new double[][] {{1, 2}, {3, 4}}));
    }

    /** All 2^d sign patterns, so every dimension has exactly the given mean and (population) spread. */
    private static double[][] balancedSigns(double[] mean, double[] std) {
        int dimensions = mean.length;
        int rows = 1 << dimensions;
        double[][] values = new double[rows][dimensions];
        // The covariance is bias-corrected (n - 1): scale so that the corrected estimate is exactly std^2.
        double correction = Math.sqrt((rows - 1.0) / rows);
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < dimensions; d++) {
                double sign = (r >> d & 1) == 0 ? -1 : 1;
                values[r][d] = mean[d] + sign * std[d] * correction;
            }
        }
        return values;
    }

    private static double[][] gaussian(int rows, int dimensions, double mean, double std, SplittableRandom random) {
        double[][] values = new double[rows][dimensions];
        for (double[] row : values) {
            for (int d = 0; d < dimensions; d++) {
                row[d] = mean + std * random.nextGaussian();
            }
        }
        return values;
    }
}
