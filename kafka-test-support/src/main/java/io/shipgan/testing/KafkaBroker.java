package io.shipgan.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The project's real Kafka broker, run by {@code kafka/kafka.sh} on free loopback ports with storage in a fresh
 * temporary folder, for one test class or one system-test run. {@link #stop()} keeps the storage for a restart;
 * {@link #close()} deletes it. {@link #startSecured()} runs it with the users and ACLs of the Kubernetes cluster
 * (SASL/SCRAM-SHA-512, nothing allowed that no ACL allows); {@link #clientProperties(String)} are a user's settings.
 */
public final class KafkaBroker implements AutoCloseable {

    /** The user that may write checkpoints (and read them back), as in deploy/k8s/base/kafka/users.yaml. */
    public static final String TRAINER = "trainer-service";
    /** The user that may read checkpoints and write rollout events. */
    public static final String GENERATOR = "generator-service";
    /** The super user kafka.sh creates topics and ACLs with. */
    public static final String ADMIN = "admin";

    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

    private final Path script;
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final boolean secured;

    private KafkaBroker(Path script, Path dir, int port, int controllerPort, boolean secured) {
        this.script = script;
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.secured = secured;
    }

    /** Starts a new broker on free ports, open to any client, and waits until its topics exist. */
    public static KafkaBroker start() {
        return start(false);
    }

    /**
     * Starts a new broker on free ports whose client listener wants SASL/SCRAM-SHA-512 and whose authorizer allows
     * only what the ACLs of {@link #TRAINER} and {@link #GENERATOR} say; waits until its topics and ACLs exist.
     */
    public static KafkaBroker startSecured() {
        return start(true);
    }

    private static KafkaBroker start(boolean secured) {
        try {
            Path dir = Files.createTempDirectory("shipgan-kafka-");
            KafkaBroker broker =
                    new KafkaBroker(findScript(), dir, LoopbackPorts.free(), LoopbackPorts.free(), secured);
            broker.run("start");
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a Kafka broker folder", e);
        }
    }

    /** Starts this broker again after {@link #stop()} or {@link #kill()}, keeping its storage and ports. */
    public void restart() {
        run("start");
    }

    /** SIGTERM, then SIGKILL if it does not stop within 30 s. */
    public void stop() {
        run("stop");
    }

    /** SIGKILL: the broker dies without flushing or telling anyone. */
    public void kill() {
        run("kill");
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The controller listener, which only the broker itself (and on a secured broker only the admin) uses. */
    public String controllerAddress() {
        return "127.0.0.1:" + controllerPort;
    }

    public Path directory() {
        return dir;
    }

    public boolean secured() {
        return secured;
    }

    /**
     * The client settings of one user: {@code bootstrap.servers}, and on a secured broker the SASL settings with
     * the password kafka.sh stored for the user. Plain Kafka client keys; Quarkus services take them with a
     * {@code kafka.} prefix.
     */
    public Map<String, String> clientProperties(String user) {
        if (!secured) {
            return Map.of("bootstrap.servers", bootstrapServers());
        }
        return clientProperties(user, password(user));
    }

    /** The SASL/SCRAM settings for any user name and password, e.g. ones the broker does not know. */
    public Map<String, String> clientProperties(String user, String password) {
        return Map.of(
                "bootstrap.servers", bootstrapServers(),
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    private String password(String user) {
        Path file = dir.resolve("credentials").resolve(user + ".password");
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("no password for Kafka user " + user + " in " + file.getParent(), e);
        }
    }

    /** Stops the broker and deletes its storage. */
    @Override
    public void close() {
        stop();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private void run(String command) {
        List<String> line = new ArrayList<>(List.of("bash", script.toString(), command));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("SHIPGAN_KAFKA_PORT", Integer.toString(port));
        env.put("SHIPGAN_KAFKA_CONTROLLER_PORT", Integer.toString(controllerPort));
        env.put("SHIPGAN_KAFKA_DIR", dir.toString());
        env.put("SHIPGAN_KAFKA_SECURITY", secured ? "scram" : "plaintext");
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kafka.sh " + command + " did not finish in " + SCRIPT_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kafka.sh " + command + " failed (exit " + process.exitValue()
                        + "):\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running kafka.sh " + command, e);
        }
    }

    /** The repository's launcher: from {@code shipgan.repo.dir}, else the first parent folder that holds it. */
    static Path findScript() {
        String configured = System.getProperty("shipgan.repo.dir");
        if (configured != null && !configured.isBlank()) {
            Path script = Paths.get(configured, "kafka", "kafka.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("kafka").resolve("kafka.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException("kafka/kafka.sh not found above " + Paths.get("").toAbsolutePath()
                + "; set -Dshipgan.repo.dir to the repository root");
    }

}
