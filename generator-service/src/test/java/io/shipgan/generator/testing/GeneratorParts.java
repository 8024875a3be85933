package io.shipgan.generator.testing;

import io.shipgan.generator.checkpoint.CheckpointActivation;
import io.shipgan.generator.checkpoint.CheckpointValidator;
import io.shipgan.generator.checkpoint.RejectionLog;
import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.sampling.ActiveModel;
import io.shipgan.generator.sampling.Sampler;
import io.shipgan.generator.sampling.SessionFactory;

/** The generator's pieces wired by hand, around the real ONNX Runtime, as the application wires them. */
public final class GeneratorParts {

    public final GeneratorConfig config;
    public final SessionFactory sessions;
    public final ActiveModel activeModel;
    public final Sampler sampler;
    public final CheckpointValidator validator;
    public final RejectionLog rejections;
    public final CheckpointActivation activation;

    public GeneratorParts(GeneratorConfig config) {
        this(config, new ActiveModel());
    }

    public GeneratorParts(GeneratorConfig config, ActiveModel activeModel) {
        this.config = config;
        this.sessions = new SessionFactory(config);
        this.activeModel = activeModel;
        this.sampler = new Sampler(sessions, activeModel);
        this.validator = new CheckpointValidator(sessions, sampler);
        this.rejections = new RejectionLog(config);
        this.activation = new CheckpointActivation(config, activeModel, validator, rejections);
    }

    public static GeneratorParts onCpu() {
        return new GeneratorParts(TestConfig.cpu());
    }
}
