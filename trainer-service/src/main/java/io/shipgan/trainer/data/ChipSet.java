package io.shipgan.trainer.data;

import java.util.List;
import java.util.Set;

/**
 * The chips of one training run, split by scene id.
 *
 * @param labels      the classes kept
 * @param train       chips of the kept classes from training scenes: what the GAN trains on
 * @param heldout     chips of the kept classes from held-out scenes: never trained on, kept for scoring
 * @param trainScenesChips   all chips of training scenes in the data set, of every class
 * @param heldoutScenesChips all chips of held-out scenes in the data set, of every class
 */
public record ChipSet(
        Set<ChipLabel> labels,
        List<Chip> train,
        List<Chip> heldout,
        int trainScenesChips,
        int heldoutScenesChips) {

    public ChipSet {
        labels = Set.copyOf(labels);
        train = List.copyOf(train);
        heldout = List.copyOf(heldout);
    }
}
