package io.shipgan.generator.testing;

import io.shipgan.testing.KafkaBrokerResource;

import java.util.Map;

/**
 * The real broker with a history already on the checkpoint topic before the application starts: good
 * checkpoints 1 and 2 of {@link TestCheckpoints#MODEL_NAME} and one of another model name.
 */
public class SeededKafkaBrokerResource extends KafkaBrokerResource {

    /** Newest version on the topic when the application starts. */
    public static final long SEEDED_NEWEST = 2;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        try (CheckpointPublisher publisher = new CheckpointPublisher(config.get("kafka.bootstrap.servers"))) {
            publisher.publishGood(1, 101);
            byte[] other = GeneratorModels.dense(7).build();
            publisher.publish(TestCheckpoints.metadataOfModel("other-model", 99, other), other);
            publisher.publishGood(SEEDED_NEWEST, 102);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        return config;
    }
}
