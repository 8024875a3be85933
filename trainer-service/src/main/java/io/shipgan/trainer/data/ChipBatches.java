package io.shipgan.trainer.data;

import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Real chips in class-balanced training batches, each a pure function of the seed and the step number: a resumed
 * run draws exactly the batches an uninterrupted one would have.
 *
 * <p>Slot {@code j} of every batch holds a chip of label {@code j % labels}, so each label gets an equal share of
 * the discriminator's attention although ShipsNet has three no-ship chips for every ship. Each label's chips are
 * visited in a fresh shuffled order per pass, and each chip is turned or mirrored at random
 * ({@link ChipAugmentation}).
 */
public final class ChipBatches {

    private final List<List<Chip>> chipsByLabel;
    private final int totalChips;
    private final int batchSize;
    private final long seed;
    /** Per label: the pass whose order {@link #order} holds, -1 before the first. */
    private final long[] orderPass;
    private final List<List<Chip>> order;

    /**
     * @param chips  the training chips, of the labels in {@code labels}
     * @param labels the model's label order ({@link ChipLabel#modelOrder})
     * @param seed   the run's seed: same seed, same batches
     */
    public ChipBatches(List<Chip> chips, List<ChipLabel> labels, int batchSize, long seed) {
        if (batchSize < labels.size()) {
            throw new IllegalArgumentException("batch size " + batchSize + " is smaller than the " + labels.size()
                    + " labels trained on: raise shipgan.trainer.batch-size");
        }
        this.chipsByLabel = new ArrayList<>();
        for (ChipLabel label : labels) {
            List<Chip> ofLabel = chips.stream().filter(chip -> chip.label() == label).toList();
            if (ofLabel.isEmpty()) {
                throw new IllegalArgumentException("no training chips of label " + label.configName());
            }
            chipsByLabel.add(ofLabel);
        }
        this.totalChips = chips.size();
        this.batchSize = batchSize;
        this.seed = seed;
        this.orderPass = new long[labels.size()];
        Arrays.fill(orderPass, -1);
        this.order = new ArrayList<>(Collections.nCopies(labels.size(), List.of()));
    }

    /** Passes over all training chips that {@code steps} batches amount to. */
    public int epochAfter(long steps) {
        return (int) (steps * batchSize / totalChips);
    }

    /** The batch of step {@code step} (0-based). */
    public TrainingBatch batch(long step) {
        int labels = chipsByLabel.size();
        float[] values = new float[batchSize * Chip.VALUES];
        int[] batchLabels = new int[batchSize];
        SplittableRandom transforms = new SplittableRandom(Seeds.mix(seed, Seeds.AUGMENTATION, step));
        for (int slot = 0; slot < batchSize; slot++) {
            int label = slot % labels;
            long draw = step * slotsOf(label) + slot / labels;
            Chip chip = chipAt(label, draw);
            float[] turned = ChipAugmentation.transform(chip.pixels(),
                    transforms.nextInt(ChipAugmentation.TRANSFORMS));
            System.arraycopy(turned, 0, values, slot * Chip.VALUES, Chip.VALUES);
            batchLabels[slot] = label;
        }
        return new TrainingBatch(
                Nd4j.create(values, new long[] {batchSize, Chip.CHANNELS, Chip.SIZE, Chip.SIZE}, 'c'), batchLabels);
    }

    /** Slots of a batch that hold chips of this label. */
    private int slotsOf(int label) {
        int labels = chipsByLabel.size();
        return batchSize / labels + (label < batchSize % labels ? 1 : 0);
    }

    /** The {@code draw}-th chip drawn of a label over the whole run. */
    private Chip chipAt(int label, long draw) {
        List<Chip> chips = chipsByLabel.get(label);
        long pass = draw / chips.size();
        if (orderPass[label] != pass) {
            List<Chip> shuffled = new ArrayList<>(chips);
            Collections.shuffle(shuffled, new Random(Seeds.mix(seed, Seeds.SHUFFLE + label, pass)));
            order.set(label, shuffled);
            orderPass[label] = pass;
        }
        return order.get(label).get((int) (draw % chips.size()));
    }
}
