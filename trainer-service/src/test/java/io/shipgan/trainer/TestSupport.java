package io.shipgan.trainer;

import io.shipgan.trainer.config.TrainerConfig;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The real data folder and real configuration objects for plain JUnit tests. */
public final class TestSupport {

    private TestSupport() {
    }

    /** The project's shared data: {@code shipgan.data.dir} (set by the build), else next to the repository. */
    public static Path dataDir() {
        String configured = System.getProperty("shipgan.data.dir");
        return (configured != null ? Path.of(configured) : Path.of("../../shared/data")).toAbsolutePath().normalize();
    }

    public static Path shipsnetFolder() {
        return dataDir().resolve("shipsnet");
    }

    public static Path heldoutScenesFile() {
        return dataDir().resolve("heldout-scenes.txt");
    }

    /**
     * A {@link TrainerConfig} built the way Quarkus builds it, from its defaults and the given overrides
     * (keys without the {@code shipgan.trainer.} prefix).
     */
    public static TrainerConfig trainerConfig(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>();
        properties.put("shipgan.trainer.data-path", shipsnetFolder().toString());
        properties.put("shipgan.trainer.heldout-scenes", heldoutScenesFile().toString());
        overrides.forEach((key, value) -> properties.put("shipgan.trainer." + key, value));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDiscoveredConverters()
                .withSources(new MapBackedConfigSource("test", properties, 500) {
                })
                .withMapping(TrainerConfig.class)
                .build();
        return config.getConfigMapping(TrainerConfig.class);
    }

    /** A small, fast model: narrow networks, small batches. */
    public static TrainerConfig smallModelConfig() {
        return smallModelConfig(Map.of());
    }

    /** The small model with some keys (without the {@code shipgan.trainer.} prefix) set otherwise. */
    public static TrainerConfig smallModelConfig(Map<String, String> overrides) {
        Map<String, String> keys = new HashMap<>(Map.of(
                "generator-filters", "8",
                "discriminator-filters", "8",
                "batch-size", "8"));
        keys.putAll(overrides);
        return trainerConfig(keys);
    }
}
