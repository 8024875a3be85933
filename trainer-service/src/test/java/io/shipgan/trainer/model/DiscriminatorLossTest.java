package io.shipgan.trainer.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DiscriminatorLossTest {

    @Test
    void logitZeroCostsLnTwoWhateverTheTarget() {
        DiscriminatorLoss.Result result = DiscriminatorLoss.of(Nd4j.create(new float[] {0f, 0f}, 2, 1), 0.9);

        assertEquals(Math.log(2), result.meanLoss(), 1e-9);
        assertEquals(0.5, result.meanProbability(), 1e-9);
        assertArrayEquals(new float[] {-0.4f, -0.4f}, result.gradientByLogit().toFloatVector(), 1e-7f);
    }

    @Test
    void saturatedLogitsGiveExactFiniteLosses() {
        DiscriminatorLoss.Result wrong = DiscriminatorLoss.of(Nd4j.create(new float[] {100f}, 1, 1), 0.0);
        DiscriminatorLoss.Result right = DiscriminatorLoss.of(Nd4j.create(new float[] {-100f}, 1, 1), 0.0);

        assertEquals(100.0, wrong.meanLoss(), 1e-9);
        assertEquals(0.0, right.meanLoss(), 1e-9);
        assertArrayEquals(new float[] {1f}, wrong.gradientByLogit().toFloatVector(), 1e-7f);
    }

    @Test
    void lossIsTheBatchMeanAndGradientIsPerSample() {
        DiscriminatorLoss.Result result = DiscriminatorLoss.of(Nd4j.create(new float[] {2f, -1f}, 2, 1), 1.0);

        double expected = (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(1))) / 2;
        assertEquals(expected, result.meanLoss(), 1e-7);
        double p0 = 1 / (1 + Math.exp(-2));
        double p1 = 1 / (1 + Math.exp(1));
        assertArrayEquals(new float[] {(float) (p0 - 1), (float) (p1 - 1)}, result.gradientByLogit().toFloatVector(),
                1e-7f);
    }

    @Test
    void labelLogitsAddSoftmaxCrossEntropyWithAWeightedGradient() {
        // Two samples, a real/fake logit and two label logits each: labels 0 and 1.
        DiscriminatorLoss.Result result = DiscriminatorLoss.of(
                Nd4j.create(new float[] {0f, 0f, 0f, 0f, 3f, 1f}, 2, 3), 1.0, new int[] {0, 1}, 0.5);

        double second = Math.log1p(Math.exp(2)); // -log softmax([3, 1])[1] = log(1 + e^2)
        assertEquals((Math.log(2) + second) / 2, result.meanClassLoss(), 1e-7);
        assertEquals(Math.log(2), result.meanLoss(), 1e-9);
        assertEquals(0.5, result.classAccuracy(), 1e-9, "sample 0 ties and its label 0 wins; sample 1 is named 0");
        double s = 1 / (1 + Math.exp(-2)); // softmax([3, 1]) = [s, 1 - s], against the one-hot [0, 1]
        assertArrayEquals(new float[] {-0.5f, -0.25f, 0.25f, -0.5f, (float) (0.5 * s), (float) (-0.5 * s)},
                result.gradientByLogit().reshape(6).toFloatVector(), 1e-6f);
    }

    @Test
    void labelGradientMatchesFiniteDifferences() {
        float[] logits = {0.3f, -1.2f, 0.7f, 2.0f};
        int[] labels = {2};
        float[] gradient = DiscriminatorLoss.of(Nd4j.create(logits, 1, 4), 0.9, labels, 1.0)
                .gradientByLogit().toFloatVector();
        double h = 1e-3;
        for (int i = 0; i < logits.length; i++) {
            float[] up = logits.clone();
            float[] down = logits.clone();
            up[i] += (float) h;
            down[i] -= (float) h;
            double numeric = (total(up, labels) - total(down, labels)) / (2 * h);
            assertEquals(numeric, gradient[i], 1e-3, "logit " + i);
        }
    }

    @Test
    void withoutLabelsTheLabelLogitsGetNoGradient() {
        DiscriminatorLoss.Result result = DiscriminatorLoss.of(Nd4j.create(new float[] {1f, 5f, -5f}, 1, 3), 0.0);

        assertEquals(0.0, result.meanClassLoss());
        assertEquals(Double.NaN, result.classAccuracy());
        assertArrayEquals(new float[] {(float) (1 / (1 + Math.exp(-1))), 0f, 0f},
                result.gradientByLogit().toFloatVector(), 1e-7f);
    }

    private static double total(float[] logits, int[] labels) {
        DiscriminatorLoss.Result result = DiscriminatorLoss.of(Nd4j.create(logits, 1, logits.length), 0.9, labels,
                1.0);
        return result.meanLoss() + result.meanClassLoss();
    }
}
