package io.shipgan.trainer.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Binary cross-entropy of the discriminator's logits against one target probability, and its gradient. Written out
 * here rather than left to an output layer because the generator's update needs the gradient flowing into the
 * discriminator from outside, and from the logit the loss is exact even where the sigmoid saturates.
 */
final class BinaryCrossEntropy {

    /**
     * @param meanLoss       loss averaged over the batch
     * @param gradientByLogit d(loss of each sample)/d(its logit), {@code [N, 1]}, not divided by N: DL4J's updater
     *                        divides a batch's summed gradient by its size
     * @param meanProbability the discriminator's mean probability of "real" over the batch
     */
    record Result(double meanLoss, INDArray gradientByLogit, double meanProbability) {
    }

    private BinaryCrossEntropy() {
    }

    static Result of(INDArray logits, double target) {
        float[] z = logits.toFloatVector();
        float[] gradient = new float[z.length];
        double lossSum = 0;
        double probabilitySum = 0;
        for (int i = 0; i < z.length; i++) {
            double p = 1 / (1 + Math.exp(-z[i]));
            // -[t log p + (1 - t) log(1 - p)] rewritten so that exp never overflows
            lossSum += Math.max(z[i], 0) - z[i] * target + Math.log1p(Math.exp(-Math.abs(z[i])));
            gradient[i] = (float) (p - target);
            probabilitySum += p;
        }
        INDArray gradientByLogit = Nd4j.create(gradient, new long[] {z.length, 1}, 'c');
        return new Result(lossSum / z.length, gradientByLogit, probabilitySum / z.length);
    }
}
