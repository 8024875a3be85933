package io.shipgan.trainer.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.trainer.data.ChipLabel;
import io.shipgan.trainer.model.TrainingService;
import io.shipgan.trainer.model.TrainingStatus;
import io.shipgan.trainer.publish.CheckpointPublisher;
import io.shipgan.trainer.score.CheckpointScorer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The trainer's gauges (Prometheus names {@code shipgan_trainer_...}): step, epoch, speed, the last losses, the
 * latest published version and the latest checkpoint's scores, all read from the training status when scraped.
 * A value not known yet (no step, no scores) is NaN. Published and failed checkpoints are counted where they are
 * sent, in the checkpoint publisher.
 */
@ApplicationScoped
public class TrainerMetrics {

    /** The score names of the API ({@code ship_rate}, {@code fd_ship}, ...), one series each. */
    static final String SCORE = "shipgan.trainer.score";

    private final MeterRegistry registry;
    private final TrainingService training;
    private final TrainerConfig config;
    private final CheckpointPublisher publisher;

    public TrainerMetrics(MeterRegistry registry, TrainingService training, TrainerConfig config,
                          CheckpointPublisher publisher) {
        this.registry = registry;
        this.training = training;
        this.config = config;
        this.publisher = publisher;
    }

    void registerMeters(@Observes StartupEvent event) {
        gauge("shipgan.trainer.step", "Training steps done", status -> status.step());
        gauge("shipgan.trainer.epoch", "Passes over the training chips done", status -> status.epoch());
        gauge("shipgan.trainer.images.per.second", "Real chips trained on per second, recent average",
                TrainingStatus::imagesPerSecond);
        gauge("shipgan.trainer.latest.version", "Last checkpoint version the broker acknowledged",
                status -> orNaN(status.latestVersion()));
        Gauge.builder("shipgan.trainer.checkpoints.pending", publisher, CheckpointPublisher::pendingCheckpoints)
                .description("Stored checkpoints waiting for the broker to acknowledge them")
                .register(registry);
        Gauge.builder("shipgan.trainer.loss", training, service -> orNaN(service.status().losses().generator()))
                .description("The last step's loss").tag("network", "generator").register(registry);
        Gauge.builder("shipgan.trainer.loss", training, service -> orNaN(service.status().losses().discriminator()))
                .description("The last step's loss").tag("network", "discriminator").register(registry);
        for (String score : scoreNames()) {
            Gauge.builder(SCORE, training, service -> orNaN(service.status().scores().get(score)))
                    .description("The latest checkpoint's score, as named in the status API")
                    .tag("score", score)
                    .register(registry);
        }
    }

    /** The scores a checkpoint of the configured labels gets: a fixed, small set. */
    private List<String> scoreNames() {
        List<String> names = new ArrayList<>(List.of(CheckpointScorer.CLASSIFIER_ACCURACY));
        for (ChipLabel label : ChipLabel.fromConfigNames(config.trainLabels())) {
            names.add(CheckpointScorer.rateKey(label));
            names.add(CheckpointScorer.distanceKey(label));
            names.add(CheckpointScorer.floorKey(label));
        }
        return names;
    }

    private void gauge(String name, String description, ToDoubleFunction<TrainingStatus> value) {
        Gauge.builder(name, training, service -> value.applyAsDouble(service.status()))
                .description(description)
                .register(registry);
    }

    private static double orNaN(Number value) {
        return value == null ? Double.NaN : value.doubleValue();
    }
}
