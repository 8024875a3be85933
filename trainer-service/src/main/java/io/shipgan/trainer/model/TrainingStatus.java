package io.shipgan.trainer.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the training run, as the status API shows it.
 *
 * @param epoch                   passes over the training chips done
 * @param step                    training steps done
 * @param maxSteps                where the run stops, absent when it trains until stopped
 * @param imagesPerSecond         real chips trained on per second, averaged over recent steps
 * @param etaSeconds              time left until max-steps at the current speed, absent without max-steps
 * @param losses                  the last step's losses, null values before the first step
 * @param scores                  the scores of the latest checkpoint (see CheckpointScorer), empty before one
 * @param classifierAccuracy      held-out accuracy of the scoring classifier, absent when scoring is off
 * @param labels                  the labels the generator draws, in the order of its label input
 * @param latestVersion           the last checkpoint version the broker acknowledged, null before the first
 * @param trainChips              chips the GAN trains on (training scenes, trained labels)
 * @param heldoutChips            chips of the trained labels from held-out scenes, never trained on
 * @param generatorParameters     parameters of the generator, 0 before it is built
 * @param discriminatorParameters parameters of the discriminator, 0 before it is built
 * @param startedAt               when the run started, null before
 * @param error                   why the run failed, only when it did
 */
public record TrainingStatus(
        TrainingState state,
        String modelName,
        int epoch,
        long step,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long maxSteps,
        double imagesPerSecond,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double etaSeconds,
        Losses losses,
        Map<String, Double> scores,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double classifierAccuracy,
        List<String> labels,
        Long latestVersion,
        int checkpointEvery,
        int trainChips,
        int heldoutChips,
        long generatorParameters,
        long discriminatorParameters,
        long seed,
        Instant startedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String error) {

    /** The last step's losses, as the PyTorch DCGAN example names them. */
    public record Losses(Double generator, Double discriminator) {

        static final Losses NONE = new Losses(null, null);
    }
}
