package io.shipgan.system;

import io.shipgan.testing.LoopbackPorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One packaged ShipGAN service ({@code target/quarkus-app/quarkus-run.jar}) run as a real process on loopback. */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code module}'s packaged jar with the given system properties on a free port.
     *
     * @throws IllegalStateException when the module has not been packaged
     */
    public static ServiceProcess start(String module, Map<String, String> properties) {
        return start(module, LoopbackPorts.free(), properties);
    }

    /**
     * Starts {@code module}'s packaged jar on the given port, e.g. one already named to the gateway before the
     * replica behind it runs.
     *
     * @throws IllegalStateException when the module has not been packaged
     */
    public static ServiceProcess start(String module, int port, Map<String, String> properties) {
        return start(module, port, List.of(), properties);
    }

    /**
     * Starts {@code module}'s packaged jar on the given port with JVM options after the default ones (a later
     * {@code -Xmx} wins), e.g. a fixed, pre-touched heap for a test that watches the process's memory.
     *
     * @throws IllegalStateException when the module has not been packaged
     */
    public static ServiceProcess start(String module, int port, List<String> jvmOptions,
                                       Map<String, String> properties) {
        Path repo = SystemTestPaths.repository();
        Path jar = repo.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; run 'mvn -B verify' from the repository root");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx1g");
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        try {
            Path logs = Files.createDirectories(repo.resolve("system-tests/target/service-logs"));
            Path log = logs.resolve(module + "-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(repo.resolve(module).toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
            return new ServiceProcess(module, port, log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + module, e);
        }
    }

    /**
     * The settings every test trainer shares: the broker, the real data, a state folder, a small and fast model
     * (narrow networks, few chips, a one-pass classifier, few scoring samples); callers add or override keys.
     */
    public static Map<String, String> smallTrainer(String bootstrapServers, Path state) {
        Path data = SystemTestPaths.data();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers);
        config.put("shipgan.trainer.data-path", data.resolve("shipsnet").toString());
        config.put("shipgan.trainer.heldout-scenes", data.resolve("heldout-scenes.txt").toString());
        config.put("shipgan.trainer.state-dir", state.toString());
        config.put("shipgan.trainer.batch-size", "8");
        config.put("shipgan.trainer.classifier.epochs", "1");
        config.put("shipgan.trainer.scores.samples", "32");
        return config;
    }

    /**
     * The smallest trainer that still trains on real chips and publishes real checkpoints quickly: 24 chips,
     * 8-filter networks, a checkpoint every 3 steps, a log line every step; callers add or override keys.
     */
    public static Map<String, String> tinyTrainer(String bootstrapServers, Path state) {
        Map<String, String> config = smallTrainer(bootstrapServers, state);
        config.put("shipgan.trainer.max-chips", "24");
        config.put("shipgan.trainer.generator-filters", "8");
        config.put("shipgan.trainer.discriminator-filters", "8");
        config.put("shipgan.trainer.checkpoint-every", "3");
        config.put("shipgan.trainer.log-every", "1");
        return config;
    }

    /**
     * The settings every test generator shares: CPU, its replica id, a model cache of its own, only checkpoints
     * signed with {@code trustedKey}, and no quality gate (a few-step model's scores are noise, so which versions
     * serve would be a matter of chance; the gate has tests of its own). Callers add the broker's keys.
     */
    public static Map<String, String> testGenerator(String replicaId, Path cache, Path trustedKey) {
        Map<String, String> config = new HashMap<>();
        config.put("shipgan.generator.device", "cpu");
        config.put("shipgan.generator.gate.enabled", "false");
        config.put("shipgan.generator.replica-id", replicaId);
        config.put("shipgan.generator.cache.dir", cache.toString());
        config.put("shipgan.generator.trust.public-key-file", trustedKey.toString());
        return config;
    }

    /** A new, empty model cache folder for one test generator under {@code system-tests/target/generators}. */
    public static Path newModelCache(String prefix) throws IOException {
        Path caches = Files.createDirectories(SystemTestPaths.repository().resolve("system-tests/target/generators"));
        return Files.createTempDirectory(caches, prefix).resolve("models");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The process id of the service's JVM, e.g. to read its memory from {@code /proc}. */
    public long pid() {
        return process.pid();
    }

    /** Waits until {@code /q/health/ready} answers 200, failing early when the process dies. */
    public ServiceProcess awaitReady(Duration timeout) {
        return awaitHealth("/q/health/ready", timeout);
    }

    /** Waits until the given health path answers 200, failing early when the process dies. */
    public ServiceProcess awaitHealth(String path, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> response = HTTP.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + path))
                                .timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + logTail());
    }

    /**
     * Asks this generator for {@code /api/v1/images?<query>} every {@code poll} until it answers 200, failing with
     * its log after {@code timeout}; a refused connection (not listening yet) counts as not yet.
     */
    public HttpResponse<byte[]> awaitImage(String query, Duration timeout, Duration poll) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(
                                URI.create(baseUrl() + "/api/v1/images?" + query))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() == 200) {
                    return response;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(poll);
        }
        throw new AssertionError("no image from " + name + " in " + timeout + ":\n" + logTail());
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** kill -9: the process gets no chance to finish what it is doing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * Closes each of a test's processes, services and brokers alike, in the order given (callers first, the
     * broker last), skipping those never started; one that fails to close does not keep the others running.
     */
    public static void closeAll(AutoCloseable... processes) {
        for (AutoCloseable process : processes) {
            if (process == null) {
                continue;
            }
            try {
                process.close();
            } catch (Exception e) {
                System.err.println("could not stop " + process + ": " + e);
            }
        }
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
