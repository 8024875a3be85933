package io.shipgan.trainer.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The loss of the discriminator's logits for one batch, and its gradient: binary cross-entropy of the real/fake
 * logit (column 0) against one target probability and, when the discriminator is an auxiliary classifier and the
 * batch's labels are given, softmax cross-entropy of the label logits (the other columns) against them, weighted.
 * Written out here rather than left to an output layer because the generator's update needs the gradient flowing
 * into the discriminator from outside, and from the logits the loss is exact even where a sigmoid or softmax
 * saturates.
 */
final class DiscriminatorLoss {

    /**
     * @param meanLoss        real/fake loss averaged over the batch
     * @param meanClassLoss   label loss averaged over the batch, unweighted; 0 when there was none
     * @param classAccuracy   fraction of the batch whose largest label logit is its label; NaN when there was none
     * @param gradientByLogit d(weighted loss of each sample)/d(its logits), {@code [N, columns]}, not divided by
     *                        N: DL4J's updater divides a batch's summed gradient by its size
     * @param meanProbability the discriminator's mean probability of "real" over the batch
     */
    record Result(double meanLoss, double meanClassLoss, double classAccuracy, INDArray gradientByLogit,
                  double meanProbability) {
    }

    private DiscriminatorLoss() {
    }

    /** The real/fake loss alone: any label logits get no gradient. */
    static Result of(INDArray logits, double target) {
        return of(logits, target, null, 0);
    }

    /**
     * @param labels      the label index of each sample, or null for no label loss
     * @param classWeight weight of the label loss in the gradient
     */
    static Result of(INDArray logits, double target, int[] labels, double classWeight) {
        int rows = (int) logits.size(0);
        int columns = (int) logits.size(1);
        float[] z = logits.dup('c').data().asFloat();
        float[] gradient = new float[z.length];
        double lossSum = 0;
        double probabilitySum = 0;
        double classLossSum = 0;
        int correct = 0;
        boolean classified = labels != null && columns > 1;
        for (int row = 0; row < rows; row++) {
            int offset = row * columns;
            double logit = z[offset];
            double p = 1 / (1 + Math.exp(-logit));
            // -[t log p + (1 - t) log(1 - p)] rewritten so that exp never overflows
            lossSum += Math.max(logit, 0) - logit * target + Math.log1p(Math.exp(-Math.abs(logit)));
            gradient[offset] = (float) (p - target);
            probabilitySum += p;
            if (classified) {
                classLossSum += softmaxCrossEntropy(z, gradient, offset + 1, columns - 1, labels[row], classWeight);
                if (largest(z, offset + 1, columns - 1) == labels[row]) {
                    correct++;
                }
            }
        }
        return new Result(lossSum / rows, classified ? classLossSum / rows : 0,
                classified ? (double) correct / rows : Double.NaN,
                Nd4j.create(gradient, new long[] {rows, columns}, 'c'), probabilitySum / rows);
    }

    /**
     * -log softmax(z)[label] over {@code count} logits from {@code from}, with its gradient (softmax minus the
     * one-hot label, times the weight) written to the same places of {@code gradient}.
     */
    private static double softmaxCrossEntropy(float[] z, float[] gradient, int from, int count, int label,
                                              double weight) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, z[from + i]);
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += Math.exp(z[from + i] - max);
        }
        for (int i = 0; i < count; i++) {
            double softmax = Math.exp(z[from + i] - max) / sum;
            gradient[from + i] = (float) (weight * (softmax - (i == label ? 1 : 0)));
        }
        return max + Math.log(sum) - z[from + label];
    }

    private static int largest(float[] z, int from, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (z[from + i] > z[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
