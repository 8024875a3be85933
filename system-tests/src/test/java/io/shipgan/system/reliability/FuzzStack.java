package io.shipgan.system.reliability;

import io.shipgan.generator.testing.CheckpointPublisher;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.TestCheckpoints;
import io.shipgan.system.GatewayKeys;
import io.shipgan.system.ServiceProcess;
import io.shipgan.system.SystemTestPaths;
import io.shipgan.testing.KafkaBroker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real parts the gateway fronts, as processes on loopback: the broker, a generator serving a real ONNX model
 * (published to the broker as a checkpoint), a trainer that is up but cannot train (its data folder is empty, so a
 * fuzzed start fails at once instead of loading a network on the shared cores), and the gateway with its rate limits
 * lifted.
 */
final class FuzzStack implements AutoCloseable {

    final KafkaBroker broker;
    final ServiceProcess generator;
    final ServiceProcess trainer;
    final ServiceProcess gateway;

    private FuzzStack(KafkaBroker broker, ServiceProcess generator, ServiceProcess trainer, ServiceProcess gateway) {
        this.broker = broker;
        this.generator = generator;
        this.trainer = trainer;
        this.gateway = gateway;
    }

    static FuzzStack start() throws IOException {
        KafkaBroker broker = KafkaBroker.start();
        Path work = Files.createDirectories(SystemTestPaths.repository().resolve("system-tests/target/fuzz-stack"));
        Path cache = Files.createTempDirectory(work, "generator-").resolve("models");
        ServiceProcess generator = ServiceProcess.start("generator-service", Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "shipgan.generator.device", "cpu",
                "shipgan.generator.gate.enabled", "false",
                "shipgan.generator.replica-id", "fuzz-generator",
                "shipgan.generator.cache.dir", cache.toString()));

        Path emptyData = Files.createTempDirectory(work, "no-chips-");
        Map<String, String> trainerConfig = new HashMap<>();
        trainerConfig.put("kafka.bootstrap.servers", broker.bootstrapServers());
        trainerConfig.put("shipgan.trainer.autostart", "false");
        trainerConfig.put("shipgan.trainer.data-path", emptyData.toString());
        trainerConfig.put("shipgan.trainer.heldout-scenes", emptyData.resolve("heldout-scenes.txt").toString());
        trainerConfig.put("shipgan.trainer.state-dir", Files.createTempDirectory(work, "trainer-").toString());
        trainerConfig.put("shipgan.trainer.max-steps", "1");
        ServiceProcess trainer = ServiceProcess.start("trainer-service", trainerConfig);

        Map<String, String> gatewayConfig = GatewayKeys.gatewayPropertiesWithoutRateLimits();
        gatewayConfig.put("quarkus.stork.generator.service-discovery.address-list", "127.0.0.1:" + generator.port());
        gatewayConfig.put("shipgan.trainer-url", trainer.baseUrl());
        ServiceProcess gateway = ServiceProcess.start("gateway", gatewayConfig);
        FuzzStack stack = new FuzzStack(broker, generator, trainer, gateway);
        try {
            generator.awaitHealth("/q/health/live", Duration.ofSeconds(120));
            publishModel(broker.bootstrapServers());
            generator.awaitReady(Duration.ofSeconds(120));
            trainer.awaitHealth("/q/health/live", Duration.ofSeconds(120));
            gateway.awaitReady(Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /** A real conditional DCGAN-shaped generator (labels ship and no-ship) as checkpoint 1, as the trainer would. */
    private static void publishModel(String bootstrapServers) {
        byte[] onnx = GeneratorModels.dcgan(7).conditional().build();
        try (CheckpointPublisher publisher = new CheckpointPublisher(bootstrapServers)) {
            publisher.publish(TestCheckpoints.conditionalMetadata(1, onnx, TestCheckpoints.SHIP_LABELS), onnx);
        }
    }

    /** Text that must never appear in an answer of the gateway: where the backends live, this machine's name. */
    List<String> internalAddresses() {
        List<String> addresses = new ArrayList<>(List.of("127.0.0.1", "localhost", "0.0.0.0",
                broker.bootstrapServers()));
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host.length() >= 4) {
                addresses.add(host);
            }
        } catch (UnknownHostException e) {
            // no name to look for
        }
        return addresses;
    }

    @Override
    public void close() {
        for (ServiceProcess process : new ServiceProcess[] {gateway, trainer, generator}) {
            try {
                if (process != null) {
                    process.close();
                }
            } catch (RuntimeException e) {
                System.err.println("could not stop a service: " + e);
            }
        }
        broker.close();
    }
}
