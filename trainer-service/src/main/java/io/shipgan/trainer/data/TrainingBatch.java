package io.shipgan.trainer.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch of real chips and their labels.
 *
 * @param images {@code [N, 3, 80, 80]} in [-1, 1]
 * @param labels for each image, the index of its label in the model's label order ({@link ChipLabel#modelOrder})
 */
public record TrainingBatch(INDArray images, int[] labels) {

    public int size() {
        return labels.length;
    }
}
