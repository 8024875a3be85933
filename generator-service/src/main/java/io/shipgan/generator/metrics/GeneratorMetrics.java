package io.shipgan.generator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.shipgan.generator.rollout.RejectionCause;
import io.shipgan.generator.rollout.Rollout;
import io.shipgan.generator.rollout.RolloutCounters;
import io.shipgan.generator.rollout.RolloutEventType;
import io.shipgan.generator.sampling.ActiveModel;
import io.shipgan.generator.sampling.Samples;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The generator's own metrics (Prometheus names {@code shipgan_generator_...}): samples served by label, the
 * active version, swaps, rollout events and rejected checkpoints by cause. The rollout and the active model keep
 * their counts themselves; this class only shows them to the registry, so there is one count per fact.
 */
@ApplicationScoped
public class GeneratorMetrics {

    /** Label value for samples of an unconditional model. */
    static final String NO_LABEL = "none";

    private final MeterRegistry registry;
    private final ActiveModel activeModel;
    private final Rollout rollout;

    public GeneratorMetrics(MeterRegistry registry, ActiveModel activeModel, Rollout rollout) {
        this.registry = registry;
        this.activeModel = activeModel;
        this.rollout = rollout;
    }

    void registerMeters(@Observes StartupEvent event) {
        Gauge.builder("shipgan.generator.active.model.version", activeModel, GeneratorMetrics::activeVersion)
                .description("Version of the model that serves; NaN until one is active")
                .register(registry);
        FunctionCounter.builder("shipgan.generator.model.swaps", activeModel, model -> model.swaps())
                .description("Models put into the active slot since start, the first activation included")
                .register(registry);
        RolloutCounters counters = rollout.counters();
        for (RolloutEventType type : RolloutEventType.values()) {
            FunctionCounter.builder("shipgan.generator.rollout.events", counters, c -> c.count(type))
                    .description("Rollout events on this replica since start")
                    .tag("event", type.wireName())
                    .register(registry);
        }
        for (RejectionCause cause : RejectionCause.values()) {
            FunctionCounter.builder("shipgan.generator.checkpoints.rejected", counters, c -> c.rejections(cause))
                    .description("Checkpoints refused since start, by cause")
                    .tag("cause", cause.wireName())
                    .register(registry);
        }
    }

    /**
     * Counts what one request drew. Labels come from the model's own list (a label it does not draw is refused
     * before sampling), so the series stay few.
     */
    public void countSamples(Samples samples) {
        Counter.builder("shipgan.generator.samples")
                .description("Samples generated, by label")
                .tag("label", samples.label() == null ? NO_LABEL : samples.label())
                .register(registry)
                .increment(samples.count());
    }

    private static double activeVersion(ActiveModel model) {
        long version = model.activeVersion();
        return version == Long.MIN_VALUE ? Double.NaN : version;
    }
}
