package io.shipgan.trainer.publish;

/**
 * Where training stood when a checkpoint was taken.
 *
 * @param step              training steps done
 * @param epoch             passes over the training chips done
 * @param generatorLoss     the generator's loss at the last step
 * @param discriminatorLoss the discriminator's loss at the last step
 */
public record CheckpointProgress(long step, int epoch, double generatorLoss, double discriminatorLoss) {
}
