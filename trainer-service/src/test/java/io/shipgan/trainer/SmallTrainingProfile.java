package io.shipgan.trainer;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.shipgan.checkpoint.SigningKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Trains a narrow DCGAN on 16 real chips of each label in batches of 8 for 4 steps, with a checkpoint every 2; a step takes
 * well under a second on an idle machine. Publishing gives up after a few seconds, so a run with the broker
 * down ends quickly. Checkpoints are signed with a key pair made for the test run.
 */
public class SmallTrainingProfile implements QuarkusTestProfile {

    public static final String STATE_DIR = "target/trainer-state-test";

    /** The key pair the trainer signs with in tests: private and public PEM files. */
    public static final Path SIGNING_KEY = Path.of("target/test-keys/trainer-signing.pem");
    public static final Path VERIFYING_KEY = Path.of("target/test-keys/trainer-signing.pub.pem");

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("shipgan.trainer.generator-filters", "8");
        config.put("shipgan.trainer.discriminator-filters", "8");
        config.put("shipgan.trainer.batch-size", "8");
        config.put("shipgan.trainer.max-chips", "16");
        config.put("shipgan.trainer.checkpoint-every", "2");
        config.put("shipgan.trainer.max-steps", "4");
        config.put("shipgan.trainer.state-dir", STATE_DIR);
        // Scores on few samples, from a classifier trained for one pass over the 32 chips: real code, small sizes.
        config.put("shipgan.trainer.scores.samples", "16");
        config.put("shipgan.trainer.classifier.epochs", "1");
        config.put("shipgan.trainer.scores.await-classifier", "true");
        // Each run starts afresh, so that both runs of the test take their four steps.
        config.put("shipgan.trainer.resume", "false");
        config.put("shipgan.trainer.publish-timeout", "15s");
        config.put("shipgan.trainer.version-lookup-timeout", "3s");
        config.put("mp.messaging.outgoing.checkpoints.max.block.ms", "2000");
        config.put("mp.messaging.outgoing.checkpoints.request.timeout.ms", "2000");
        config.put("mp.messaging.outgoing.checkpoints.delivery.timeout.ms", "5000");
        config.put("shipgan.trainer.signing.private-key-file", signingKeyFile().toString());
        return config;
    }

    private static Path signingKeyFile() {
        try {
            if (!Files.exists(SIGNING_KEY) || !Files.exists(VERIFYING_KEY)) {
                Files.createDirectories(SIGNING_KEY.getParent());
                SigningKeys.write(SigningKeys.generate(), SIGNING_KEY, VERIFYING_KEY);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SIGNING_KEY;
    }
}
