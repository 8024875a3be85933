package io.shipgan.trainer.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Real chips in training batches: each epoch visits the chips in a new shuffled order and turns or mirrors each
 * one at random. The trailing chips that do not fill a batch wait for the next epoch's shuffle, so every batch
 * has the same size.
 */
public final class ChipBatches {

    private final List<Chip> chips;
    private final int batchSize;
    private final Random random;

    /** @param random the run's seeded generator: same seed, same order and transforms */
    public ChipBatches(List<Chip> chips, int batchSize, Random random) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (chips.size() < batchSize) {
            throw new IllegalArgumentException("only " + chips.size() + " training chips, fewer than one batch of "
                    + batchSize + ": lower shipgan.trainer.batch-size or load more chips");
        }
        this.chips = List.copyOf(chips);
        this.batchSize = batchSize;
        this.random = random;
    }

    /** Full batches per epoch. */
    public int batchesPerEpoch() {
        return chips.size() / batchSize;
    }

    /** One pass over the chips in a fresh order, as {@code [batch, 3, 80, 80]} arrays. */
    public Iterator<INDArray> nextEpoch() {
        List<Chip> order = new ArrayList<>(chips);
        Collections.shuffle(order, random);
        return new Iterator<>() {
            private int batch;

            @Override
            public boolean hasNext() {
                return batch < batchesPerEpoch();
            }

            @Override
            public INDArray next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Chip> slice = order.subList(batch * batchSize, (batch + 1) * batchSize);
                batch++;
                return toBatch(slice);
            }
        };
    }

    private INDArray toBatch(List<Chip> slice) {
        float[] values = new float[slice.size() * Chip.VALUES];
        for (int i = 0; i < slice.size(); i++) {
            float[] augmented = ChipAugmentation.randomTransform(slice.get(i).pixels(), random);
            System.arraycopy(augmented, 0, values, i * Chip.VALUES, Chip.VALUES);
        }
        return Nd4j.create(values, new long[] {slice.size(), Chip.CHANNELS, Chip.SIZE, Chip.SIZE}, 'c');
    }
}
