package io.shipgan.generator.testing;

import io.shipgan.generator.config.GeneratorConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The generator configuration with its defaults, for tests that build the pieces without Quarkus. Unlike the
 * application's defaults, the cache and the events topic are off until a test turns them on.
 */
public record TestConfig(Device device, int rejectionHistory, TestGate gate, TestCanary canary, TestCache cache,
                         TestBatching batching, TestEvents events) implements GeneratorConfig {

    /** CPU only, as on the build machines. */
    public static TestConfig cpu() {
        return new TestConfig(Device.CPU, 20, new TestGate(true, List.of("fd_ship:lower:10%", "ship_rate:higher:0.05")),
                new TestCanary(false, 0.1, Duration.ofSeconds(60), 200, 0.0),
                new TestCache(false, Path.of("target", "unused-model-cache"), 5),
                new TestBatching(true, 64, Duration.ofMillis(2), 2),
                new TestEvents(false, "shipgan.rollout-events", 50));
    }

    public TestConfig withDevice(Device newDevice) {
        return new TestConfig(newDevice, rejectionHistory, gate, canary, cache, batching, events);
    }

    public TestConfig withRejectionHistory(int history) {
        return new TestConfig(device, history, gate, canary, cache, batching, events);
    }

    /** Good checkpoints kept in {@code dir}, the newest {@code keep} of them. */
    public TestConfig withCache(Path dir, int keep) {
        return new TestConfig(device, rejectionHistory, gate, canary, new TestCache(true, dir, keep), batching,
                events);
    }

    public TestConfig withCanary(double share, Duration duration, int requests, double maxErrorRate) {
        return new TestConfig(device, rejectionHistory, gate, new TestCanary(true, share, duration, requests,
                maxErrorRate), cache, batching, events);
    }

    public TestConfig withGateRules(String... rules) {
        return new TestConfig(device, rejectionHistory, new TestGate(true, List.of(rules)), canary, cache, batching,
                events);
    }

    public TestConfig withBatching(boolean enabled, int maxBatchSize, Duration maxWait, int runners) {
        return new TestConfig(device, rejectionHistory, gate, canary, cache,
                new TestBatching(enabled, maxBatchSize, maxWait, runners), events);
    }

    /** Signatures unchecked: the tests of signatures build their own {@code CheckpointTrust}. */
    @Override
    public Trust trust() {
        return Optional::empty;
    }

    @Override
    public String checkpointTopic() {
        return "shipgan.checkpoints";
    }

    @Override
    public String modelName() {
        return TestCheckpoints.MODEL_NAME;
    }

    @Override
    public int intraOpThreads() {
        return 1;
    }

    @Override
    public int maxCount() {
        return 64;
    }

    @Override
    public boolean followTopic() {
        return false;
    }

    @Override
    public Duration pollTimeout() {
        return Duration.ofMillis(200);
    }

    @Override
    public Duration retryBackoffInitial() {
        return Duration.ofMillis(200);
    }

    @Override
    public Duration retryBackoffMax() {
        return Duration.ofSeconds(2);
    }

    @Override
    public int catchUpCandidates() {
        return 3;
    }

    @Override
    public int versionHistory() {
        return 50;
    }

    @Override
    public Optional<String> replicaId() {
        return Optional.of("test-replica");
    }

    public record TestGate(boolean enabled, List<String> rules) implements Gate {
    }

    public record TestCanary(boolean enabled, double share, Duration duration, int requests, double maxErrorRate)
            implements Canary {
    }

    public record TestCache(boolean enabled, Path dir, int keep) implements Cache {
    }

    public record TestBatching(boolean enabled, int maxBatchSize, Duration maxWait, int runners) implements Batching {
    }

    public record TestEvents(boolean enabled, String topic, int history) implements Events {
    }
}
