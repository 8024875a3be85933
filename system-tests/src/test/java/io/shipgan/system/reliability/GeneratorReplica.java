package io.shipgan.system.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.system.ServiceProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One packaged generator-service process of the reliability suite, trusting the test trainer key, and what a test
 * asks it directly, past the gateway: its models view, an image, its Prometheus metrics, its resident memory.
 */
final class GeneratorReplica implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private static final ObjectMapper JSON = CheckpointRecord.json();
    private static final Pattern VM_RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB$", Pattern.MULTILINE);

    /** An image as served: its bytes and the version that drew it. */
    record Image(byte[] bytes, long version) {
    }

    private final String id;
    private final ServiceProcess process;

    private GeneratorReplica(String id, ServiceProcess process) {
        this.id = id;
        this.process = process;
    }

    /**
     * Starts replica {@code number} on {@code port}, following the broker, trusting only {@code trustedKey}, with
     * an empty model cache of its own and without the quality gate (test checkpoints carry no scores).
     */
    static GeneratorReplica start(int number, int port, String bootstrapServers, Path trustedKey)
            throws IOException {
        return start(number, port, bootstrapServers, trustedKey, List.of());
    }

    /** As {@link #start(int, int, String, Path)}, with JVM options for the replica's process. */
    static GeneratorReplica start(int number, int port, String bootstrapServers, Path trustedKey,
                                  List<String> jvmOptions) throws IOException {
        String id = "generator-" + number;
        Map<String, String> config = ServiceProcess.testGenerator(id,
                ServiceProcess.newModelCache("reliability-" + number + "-"), trustedKey);
        config.put("kafka.bootstrap.servers", bootstrapServers);
        return new GeneratorReplica(id, ServiceProcess.start("generator-service", port, jvmOptions, config));
    }

    String id() {
        return id;
    }

    ServiceProcess process() {
        return process;
    }

    int port() {
        return process.port();
    }

    /** Waits until the replica answers on its liveness probe (it is ready only once a model serves). */
    void awaitLive(Duration timeout) {
        process.awaitHealth("/q/health/live", timeout);
    }

    /** The models view ({@code GET /api/v1/models}). */
    JsonNode models() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get("/api/v1/models");
        if (response.statusCode() != 200) {
            throw new IllegalStateException(id + " answered " + response.statusCode() + " on /api/v1/models");
        }
        return JSON.readTree(response.body());
    }

    /** The active version; 0 when none serves yet. */
    long activeVersion() throws IOException, InterruptedException {
        return models().path("active").path("version").asLong(0);
    }

    /** Waits until the active version passes {@code test}, and returns it. */
    long awaitActiveVersion(LongPredicate test, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        long version = activeVersion();
        while (!test.test(version)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(id + " still serves version " + version + " after " + timeout + "\n"
                        + process.logTail());
            }
            ServiceProcess.sleep(Duration.ofMillis(100));
            version = activeVersion();
        }
        return version;
    }

    /** One sample for {@code seed} as a PNG; fails unless the answer is 200. */
    Image image(long seed) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get("/api/v1/images?count=1&seed=" + seed);
        if (response.statusCode() != 200) {
            throw new AssertionError(id + " answered " + response.statusCode() + " for seed " + seed + ": "
                    + new String(response.body()));
        }
        long version = Long.parseLong(response.headers().firstValue("X-Model-Version").orElseThrow());
        return new Image(response.body(), version);
    }

    /** The Prometheus text of {@code /q/metrics}. */
    String metrics() throws IOException, InterruptedException {
        return new String(get("/q/metrics").body());
    }

    /** {@code shipgan_generator_checkpoints_rejected_total{cause=...}} in this metrics text; 0 when absent. */
    static long rejected(String metrics, String cause) {
        return (long) sample(metrics, "shipgan_generator_checkpoints_rejected_total", "cause=\"" + cause + "\"");
    }

    /** The sum of every series of {@code name} whose labels contain {@code labelPart} ("" for every series). */
    static double sample(String metrics, String name, String labelPart) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && line.substring(0, line.indexOf('}') + 1).contains(labelPart)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return sum;
    }

    /** The process's resident memory in KiB, from {@code /proc/<pid>/status}. */
    long residentKib() throws IOException {
        Matcher matcher = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
        if (!matcher.find()) {
            throw new IllegalStateException("no VmRSS for " + id);
        }
        return Long.parseLong(matcher.group(1));
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(process.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}
