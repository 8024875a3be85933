package io.shipgan.generator.testing;

import io.shipgan.generator.checkpoint.CheckpointActivation;
import io.shipgan.generator.checkpoint.CheckpointTrust;
import io.shipgan.generator.checkpoint.CheckpointValidator;
import io.shipgan.generator.checkpoint.RejectionLog;
import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.rollout.ModelCache;
import io.shipgan.generator.rollout.QualityGate;
import io.shipgan.generator.rollout.Rollout;
import io.shipgan.generator.rollout.RolloutEvents;
import io.shipgan.generator.sampling.ActiveModel;
import io.shipgan.generator.sampling.DynamicBatcher;
import io.shipgan.generator.sampling.GeneratorRunner;
import io.shipgan.generator.sampling.Sampler;
import io.shipgan.generator.sampling.SessionFactory;

import java.util.Map;
import java.util.Optional;

/**
 * The generator's pieces wired by hand, around the real ONNX Runtime, as the application wires them. Close it
 * to stop the batcher's threads and the rollout's timer.
 */
public final class GeneratorParts implements AutoCloseable {

    public final GeneratorConfig config;
    public final SessionFactory sessions;
    public final GeneratorRunner runner;
    public final DynamicBatcher batcher;
    public final ActiveModel activeModel;
    public final Sampler sampler;
    public final CheckpointValidator validator;
    public final RejectionLog rejections;
    public final ModelCache cache;
    public final RolloutEvents events;
    public final Rollout rollout;
    public final CheckpointActivation activation;

    public GeneratorParts(GeneratorConfig config) {
        this(config, new ActiveModel());
    }

    public GeneratorParts(GeneratorConfig config, ActiveModel activeModel) {
        this(config, activeModel, Map.of());
    }

    /** With {@code kafkaConfig} for the rollout events producer, when the config turns events on. */
    public GeneratorParts(GeneratorConfig config, ActiveModel activeModel, Map<String, Object> kafkaConfig) {
        this.config = config;
        this.sessions = new SessionFactory(config);
        this.runner = new GeneratorRunner(sessions);
        this.batcher = new DynamicBatcher(config, runner);
        this.activeModel = activeModel;
        this.sampler = new Sampler(activeModel, batcher);
        this.validator = new CheckpointValidator(sessions, runner);
        this.rejections = new RejectionLog(config);
        this.cache = new ModelCache(config);
        this.events = new RolloutEvents(config, kafkaConfig, RolloutEvents.resolveReplicaId(config));
        this.rollout = new Rollout(config, activeModel, validator, new QualityGate(config), cache, events, rejections);
        this.activation = new CheckpointActivation(config, validator, rollout, new CheckpointTrust(Optional.empty()));
    }

    public static GeneratorParts onCpu() {
        return new GeneratorParts(TestConfig.cpu());
    }

    /** Stops the threads; the models stay as they are (release them where a test checks their sessions). */
    @Override
    public void close() {
        rollout.stopTimer();
        batcher.stop();
        events.close();
    }
}
