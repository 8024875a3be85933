package io.shipgan.generator.testing;

import io.shipgan.generator.config.GeneratorConfig;

import java.time.Duration;

/** The generator configuration with its defaults, for tests that build the pieces without Quarkus. */
public record TestConfig(Device device, int rejectionHistory) implements GeneratorConfig {

    /** CPU only, as on the build machines. */
    public static TestConfig cpu() {
        return new TestConfig(Device.CPU, 20);
    }

    public TestConfig withDevice(Device newDevice) {
        return new TestConfig(newDevice, rejectionHistory);
    }

    public TestConfig withRejectionHistory(int history) {
        return new TestConfig(device, history);
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
}
