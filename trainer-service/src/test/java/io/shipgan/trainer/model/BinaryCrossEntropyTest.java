package io.shipgan.trainer.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BinaryCrossEntropyTest {

    @Test
    void logitZeroCostsLnTwoWhateverTheTarget() {
        BinaryCrossEntropy.Result result = BinaryCrossEntropy.of(Nd4j.create(new float[] {0f, 0f}, 2, 1), 0.9);

        assertEquals(Math.log(2), result.meanLoss(), 1e-9);
        assertEquals(0.5, result.meanProbability(), 1e-9);
        assertArrayEquals(new float[] {-0.4f, -0.4f}, result.gradientByLogit().toFloatVector(), 1e-7f);
    }

    @Test
    void saturatedLogitsGiveExactFiniteLosses() {
        BinaryCrossEntropy.Result wrong = BinaryCrossEntropy.of(Nd4j.create(new float[] {100f}, 1, 1), 0.0);
        BinaryCrossEntropy.Result right = BinaryCrossEntropy.of(Nd4j.create(new float[] {-100f}, 1, 1), 0.0);

        assertEquals(100.0, wrong.meanLoss(), 1e-9);
        assertEquals(0.0, right.meanLoss(), 1e-9);
        assertArrayEquals(new float[] {1f}, wrong.gradientByLogit().toFloatVector(), 1e-7f);
    }

    @Test
    void lossIsTheBatchMeanAndGradientIsPerSample() {
        BinaryCrossEntropy.Result result = BinaryCrossEntropy.of(Nd4j.create(new float[] {2f, -1f}, 2, 1), 1.0);

        double expected = (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(1))) / 2;
        assertEquals(expected, result.meanLoss(), 1e-7);
        double p0 = 1 / (1 + Math.exp(-2));
        double p1 = 1 / (1 + Math.exp(1));
        assertArrayEquals(new float[] {(float) (p0 - 1), (float) (p1 - 1)}, result.gradientByLogit().toFloatVector(),
                1e-7f);
    }
}
