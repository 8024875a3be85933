package io.shipgan.trainer.publish;

import java.util.List;
import java.util.Map;

/**
 * Where training stood when a checkpoint was taken.
 *
 * @param step              training steps done
 * @param epoch             passes over the training chips done
 * @param generatorLoss     the generator's loss at the last step
 * @param discriminatorLoss the discriminator's loss at the last step
 * @param labels            the labels the generator is conditioned on, in the order of its label input
 * @param scores            the checkpoint's quality scores, empty when none were computed
 */
public record CheckpointProgress(long step, int epoch, double generatorLoss, double discriminatorLoss,
                                 List<String> labels, Map<String, Double> scores) {

    public CheckpointProgress {
        labels = List.copyOf(labels);
        scores = Map.copyOf(scores);
    }
}
