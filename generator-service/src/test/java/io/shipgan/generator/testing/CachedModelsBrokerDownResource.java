package io.shipgan.generator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.generator.rollout.ModelCache;
import io.shipgan.testing.InjectKafkaBroker;
import io.shipgan.testing.KafkaBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A replica's world after a restart during a broker outage: a model cache already holding good checkpoints 1 to
 * {@link #CACHED_NEWEST} (as an earlier run of the replica left it), and the real broker stopped before the
 * application starts. Tests restart the broker through the injected {@link KafkaBroker}.
 */
public class CachedModelsBrokerDownResource implements QuarkusTestResourceLifecycleManager {

    /** Newest version in the cache when the application starts. */
    public static final long CACHED_NEWEST = 3;

    /** The Fréchet distance every cached checkpoint carries; the gate compares newer ones with it. */
    public static final double CACHED_FD = 40.0;

    private KafkaBroker broker;
    private Path cacheDir;

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.start();
        try {
            cacheDir = Files.createTempDirectory("shipgan-generator-cache-");
            ModelCache cache = new ModelCache(true, cacheDir, 5);
            for (long version = 1; version <= CACHED_NEWEST; version++) {
                byte[] onnx = GeneratorModels.dcgan(200 + version).build();
                CheckpointMetadata metadata = TestCheckpoints.metadataWithScores(version, onnx,
                        Map.of("fd_ship", CACHED_FD));
                cache.storeCheckpoint(metadata, onnx);
            }
        } catch (IOException e) {
            broker.close();
            throw new UncheckedIOException("cannot fill the model cache", e);
        }
        broker.stop();
        return Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "shipgan.generator.cache.enabled", "true",
                "shipgan.generator.cache.dir", cacheDir.toString());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker,
                new TestInjector.AnnotatedAndMatchesType(InjectKafkaBroker.class, KafkaBroker.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
