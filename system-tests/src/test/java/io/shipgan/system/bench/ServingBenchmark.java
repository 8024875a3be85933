package io.shipgan.system.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.generator.bench.SamplingBenchmark;
import io.shipgan.generator.bench.SamplingBenchmark.Row;
import io.shipgan.generator.config.GeneratorConfig.Device;
import io.shipgan.generator.testing.CheckpointPublisher;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.TestCheckpoints;
import io.shipgan.system.GatewayKeys;
import io.shipgan.system.ServiceProcess;
import io.shipgan.system.SystemTestPaths;
import io.shipgan.testing.KafkaBroker;
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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The serving benchmark across real processes: the real Kafka broker, two packaged generator replicas (dynamic
 * batching on and off) and the packaged gateway in front of the first, all on loopback, serving trainer-sized
 * conditional DCGAN checkpoints published over the broker. One run measures, and prints as one Markdown table next
 * to the targets: batch-1 latency and throughput of raw ONNX Runtime in this JVM (and its batch-64 throughput, the
 * most that batching could reach), of the generator's HTTP API (batching on and off) and of the gateway; 64
 * concurrent single-image clients with batching off and on; the time from a checkpoint published to the first
 * answer from it and the failed requests over 20 swaps under load; the generator's RSS after the first and the last
 * of 200 swaps. Every client and every wait is bounded; a run takes about 4 minutes on 2 cores.
 *
 * <p>Not a test (no surefire or failsafe name, so {@code mvn verify} never runs it). From the repository root:
 * <pre>
 * mvn -B -q -pl generator-service,gateway,system-tests -am package -DskipTests \
 *     dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
 * cd system-tests
 * ORT_DISABLE_TELEMETRY=1 java -cp "target/test-classes:$(cat target/bench-classpath.txt)" \
 *     io.shipgan.system.bench.ServingBenchmark
 * </pre>
 *
 * <pre>
 * --device cpu|cuda|auto   ONNX Runtime's device, in this JVM and in the generators (default cpu)
 * --raw-runs N             measured raw batch-1 runs (default 1000; batch 64: a 64th of them, at least 20)
 * --seconds S              measured seconds of each HTTP figure (default 10)
 * --warm-up S              unmeasured seconds before each (default 3)
 * --callers N              concurrent clients of the batching figures (default 64)
 * --load-clients N         concurrent clients through the gateway during the swaps under load (default 4)
 * --loaded-swaps N         swaps under load (default 20)
 * --swaps N                checkpoints published after the first, loaded ones included (default 200)
 * --swap-budget S          most seconds for all swaps; fewer are published when it runs out (default 480)
 * </pre>
 */
public final class ServingBenchmark {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration SWAP_TIMEOUT = Duration.ofSeconds(30);
    /** How often a swap that has not served yet asks the generator whether it rejected the checkpoint. */
    private static final Duration REJECTION_POLL = Duration.ofMillis(200);
    /** After a swap, before reading RSS: the old session closes with its last request, the cache write ends. */
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final double RSS_GROWTH_LIMIT = 0.10;
    private static final double PUBLISH_TO_SERVE_LIMIT_MS = 2000;
    private static final double BATCHING_GAIN_TARGET = 4;
    private static final ObjectMapper JSON = CheckpointRecord.json();

    /**
     * @param device       ONNX Runtime's device
     * @param rawRuns      measured raw batch-1 runs
     * @param measured     measured time of each HTTP figure
     * @param warmUp       unmeasured time before each
     * @param callers      concurrent clients of the batching figures
     * @param loadClients  concurrent clients through the gateway during the swaps under load
     * @param loadedSwaps  swaps under load
     * @param swaps        checkpoints published after the first one
     * @param swapBudget   most time for all swaps
     */
    record Options(Device device, int rawRuns, Duration measured, Duration warmUp, int callers, int loadClients,
                   int loadedSwaps, int swaps, Duration swapBudget) {

        static Options parse(String[] args) {
            Map<String, String> given = new HashMap<>();
            for (int i = 0; i < args.length; i += 2) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value, got " + String.join(" ", args));
                }
                given.put(args[i].substring(2), args[i + 1]);
            }
            Options options = new Options(
                    Device.valueOf(given.getOrDefault("device", "cpu").toUpperCase(Locale.ROOT)),
                    Integer.parseInt(given.getOrDefault("raw-runs", "1000")),
                    seconds(given.getOrDefault("seconds", "10")),
                    seconds(given.getOrDefault("warm-up", "3")),
                    Integer.parseInt(given.getOrDefault("callers", "64")),
                    Integer.parseInt(given.getOrDefault("load-clients", "4")),
                    Integer.parseInt(given.getOrDefault("loaded-swaps", "20")),
                    Integer.parseInt(given.getOrDefault("swaps", "200")),
                    seconds(given.getOrDefault("swap-budget", "480")));
            given.keySet().removeAll(List.of("device", "raw-runs", "seconds", "warm-up", "callers", "load-clients",
                    "loaded-swaps", "swaps", "swap-budget"));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + given.keySet() + "; see the class javadoc");
            }
            if (options.swaps() < options.loadedSwaps() + 1) {
                throw new IllegalArgumentException("--swaps must exceed --loaded-swaps: swap 1 is the RSS baseline");
            }
            return options;
        }

        private static Duration seconds(String value) {
            return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
        }
    }

    /** A checkpoint ready to publish. */
    private record Checkpoint(CheckpointMetadata metadata, byte[] onnx) {
    }

    /** An HTTP figure: what the clients saw, and how many requests the generator merged per run meanwhile. */
    private record HttpFigure(String name, int clients, HttpLoad.Window window, double requestsPerRun) {

        Row row() {
            return SamplingBenchmark.row(name, window.nanos().clone(), window.imagesPerSecond(), requestsPerRun);
        }
    }

    /**
     * The checkpoints published in one phase of the swaps. A swap is a published version that served; a rejected
     * one (the validator's reason is kept) or one that no client saw within {@link #SWAP_TIMEOUT} is not.
     */
    private static final class Swaps {

        final List<Double> publishToServeMillis = new ArrayList<>();
        final List<String> rejections = new ArrayList<>();
        int notServed;

        int served() {
            return publishToServeMillis.size();
        }
    }

    /**
     * The swaps.
     *
     * @param loaded       the swaps under load
     * @param quiet        the swaps with one polling client, the first one included
     * @param loadWindow   what the clients saw during the swaps under load
     * @param quietFailed  failed requests of the polling client
     * @param rssFirstKb   generator RSS after swap 1
     * @param rssLastKb    generator RSS after the last swap
     */
    private record SwapFigures(Swaps loaded, Swaps quiet, HttpLoad.Window loadWindow, long quietFailed,
                               long rssFirstKb, long rssLastKb) {

        int served() {
            return loaded.served() + quiet.served();
        }
    }

    /** Everything one run measured. */
    private record Figures(String device, JsonNode batching, Checkpoint checkpoint, Row raw, Row raw64,
                           HttpFigure generator, HttpFigure generatorUnbatched, HttpFigure gateway,
                           HttpFigure unbatched, HttpFigure batched, SwapFigures swaps) {
    }

    private ServingBenchmark() {
    }

    public static void main(String[] args) {
        // JBoss LogManager is on the class path (the generator's classes log through it) and says so loudly
        // unless it is java.util.logging's manager before the first logger. The validator's INFO lines are noise.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        Logger.getLogger("").setLevel(Level.WARNING);
        Options options = Options.parse(args);
        Figures figures;
        try (Processes processes = new Processes()) {
            Runtime.getRuntime().addShutdownHook(new Thread(processes::close, "bench-cleanup"));
            figures = run(options, processes);
        }
        printTable(options, figures);
    }

    private static Figures run(Options options, Processes processes) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        Checkpoint first = checkpoint(1);

        log("starting the broker");
        KafkaBroker broker = processes.keep(KafkaBroker.start());
        CheckpointPublisher publisher = processes.keep(new CheckpointPublisher(broker.bootstrapServers()));
        publisher.publish(first.metadata(), first.onnx());
        ServiceProcess batchedGenerator = processes.keep(startGenerator(options, broker, "batching-on", true));
        ServiceProcess unbatchedGenerator = processes.keep(startGenerator(options, broker, "batching-off", false));
        // The clients send the user key; rate limits would cut the load the benchmark is about.
        Map<String, String> gatewayConfig = GatewayKeys.gatewayPropertiesWithoutRateLimits();
        gatewayConfig.put("quarkus.stork.generator.service-discovery.address-list",
                "127.0.0.1:" + batchedGenerator.port());
        // No trainer runs: a port nothing listens on.
        gatewayConfig.put("shipgan.trainer-url", "http://127.0.0.1:" + LoopbackPorts.free());
        ServiceProcess gateway = processes.keep(ServiceProcess.start("gateway", gatewayConfig));
        batchedGenerator.awaitReady(START_TIMEOUT);
        unbatchedGenerator.awaitReady(START_TIMEOUT);
        gateway.awaitReady(START_TIMEOUT);
        JsonNode models = modelsView(http, batchedGenerator);
        log("generators and gateway ready, model " + models.path("active").path("version").asLong() + " active");

        log("raw ONNX Runtime, " + options.rawRuns() + " runs of batch 1, " + raw64Runs(options) + " of batch 64");
        Row raw = SamplingBenchmark.measureRaw(first.onnx(), first.metadata(), options.device(), 1,
                options.rawRuns());
        Row raw64 = SamplingBenchmark.measureRaw(first.onnx(), first.metadata(), options.device(), 64,
                raw64Runs(options));
        HttpFigure generatorAlone = measureClients(http, options, "generator HTTP, 1 client, batching on",
                batchedGenerator, batchedGenerator.baseUrl(), 1);
        HttpFigure generatorAloneUnbatched = measureClients(http, options, "generator HTTP, 1 client, batching off",
                unbatchedGenerator, unbatchedGenerator.baseUrl(), 1);
        HttpFigure gatewayAlone = measureClients(http, options, "gateway → generator HTTP, 1 client",
                batchedGenerator, gateway.baseUrl(), 1);
        HttpFigure unbatched = measureClients(http, options, "generator HTTP, " + options.callers()
                + " clients, batching off", unbatchedGenerator, unbatchedGenerator.baseUrl(), options.callers());
        unbatchedGenerator.close();
        HttpFigure batched = measureClients(http, options, "generator HTTP, " + options.callers()
                + " clients, batching on", batchedGenerator, batchedGenerator.baseUrl(), options.callers());

        SwapFigures swaps = measureSwaps(http, options, publisher, batchedGenerator, gateway);
        return new Figures(models.path("device").path("active").asText("?"), models.path("batching"), first, raw,
                raw64, generatorAlone, generatorAloneUnbatched, gatewayAlone, unbatched, batched, swaps);
    }

    /** Batch-64 runs: as many images as the batch-1 runs, at least 20 runs. */
    private static int raw64Runs(Options options) {
        return Math.max(20, options.rawRuns() / 64);
    }

    /** A replica with its own id and its own empty model cache under target/, so no earlier run's versions serve. */
    private static ServiceProcess startGenerator(Options options, KafkaBroker broker, String replica,
                                                 boolean batching) {
        try {
            Path caches = Files.createDirectories(SystemTestPaths.repository().resolve("system-tests/target/bench"));
            Path cache = Files.createTempDirectory(caches, replica + "-").resolve("models");
            return ServiceProcess.start("generator-service", Map.of(
                    "kafka.bootstrap.servers", broker.bootstrapServers(),
                    "shipgan.generator.device", options.device().name().toLowerCase(Locale.ROOT),
                    "shipgan.generator.replica-id", "bench-" + replica,
                    "shipgan.generator.cache.dir", cache.toString(),
                    "shipgan.generator.batching.enabled", Boolean.toString(batching)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a model cache for " + replica, e);
        }
    }

    /** {@code clients} closed-loop clients against {@code url}: warm-up, then the measured window. */
    private static HttpFigure measureClients(HttpClient http, Options options, String name, ServiceProcess generator,
                                             String url, int clients) {
        log(name + ", " + options.measured().toSeconds() + " s");
        Duration limit = options.warmUp().plus(options.measured()).plusSeconds(30);
        try (HttpLoad load = HttpLoad.start(http, url, clients, limit)) {
            ServiceProcess.sleep(options.warmUp());
            JsonNode before = modelsView(http, generator).path("batching");
            load.startRecording();
            ServiceProcess.sleep(options.measured());
            HttpLoad.Window window = load.stopRecording();
            JsonNode after = modelsView(http, generator).path("batching");
            logFailures(name, window);
            return new HttpFigure(name, clients, window, requestsPerRun(before, after));
        }
    }

    /**
     * Publishes checkpoints 2, 3, … one at a time, each once the previous one served or was rejected: swap 1 with
     * one polling client, then the loaded swaps with {@code load-clients} clients through the gateway, then the rest
     * with one polling client again, until {@code swaps} swaps or the budget. Reads the generator's RSS after the
     * first and the last swap.
     */
    private static SwapFigures measureSwaps(HttpClient http, Options options, CheckpointPublisher publisher,
                                            ServiceProcess generator, ServiceProcess gateway) {
        long deadline = System.nanoTime() + options.swapBudget().toNanos();
        Duration clientLimit = options.swapBudget().plus(START_TIMEOUT);
        Swaps quiet = new Swaps();
        Swaps loaded = new Swaps();
        long[] version = {1};
        long quietFailed = 0;

        log("swap 1 with one polling client, then RSS");
        long rssFirst;
        try (HttpLoad poller = HttpLoad.start(http, gateway.baseUrl(), 1, clientLimit)) {
            poller.startRecording();
            swapUntil(1, quiet, deadline, () -> swap(http, publisher, generator, poller, ++version[0], quiet));
            ServiceProcess.sleep(SETTLE);
            rssFirst = rssKb(generator);
            quietFailed += logFailures("polling client, swap 1", poller.stopRecording()).failed();
        }

        log(options.loadedSwaps() + " swaps under " + options.loadClients() + " clients through the gateway");
        HttpLoad.Window loadWindow;
        try (HttpLoad load = HttpLoad.start(http, gateway.baseUrl(), options.loadClients(), clientLimit)) {
            ServiceProcess.sleep(options.warmUp());
            load.startRecording();
            swapUntil(options.loadedSwaps(), loaded, deadline,
                    () -> swap(http, publisher, generator, load, ++version[0], loaded));
            loadWindow = logFailures("swaps under load", load.stopRecording());
        }

        log("the other swaps with one polling client, up to " + options.swaps() + " in "
                + options.swapBudget().toSeconds() + " s");
        long rssLast;
        try (HttpLoad poller = HttpLoad.start(http, gateway.baseUrl(), 1, clientLimit)) {
            poller.startRecording();
            int quietTarget = options.swaps() - options.loadedSwaps();
            swapUntil(quietTarget, quiet, deadline, () -> {
                int before = quiet.served();
                swap(http, publisher, generator, poller, ++version[0], quiet);
                int served = quiet.served() + loaded.served();
                if (quiet.served() > before && served % 50 == 0) {
                    log("swap " + served + ", RSS " + rssKb(generator) / 1024 + " MB");
                }
            });
            ServiceProcess.sleep(SETTLE);
            rssLast = rssKb(generator);
            quietFailed += logFailures("polling client, quiet swaps", poller.stopRecording()).failed();
        }
        return new SwapFigures(loaded, quiet, loadWindow, quietFailed, rssFirst, rssLast);
    }

    /** Runs {@code swap} until {@code swaps} has served {@code target} versions or the deadline has passed. */
    private static void swapUntil(int target, Swaps swaps, long deadline, Runnable swap) {
        while (swaps.served() < target && System.nanoTime() < deadline) {
            swap.run();
        }
    }

    /**
     * Publishes checkpoint {@code version} and waits until {@code watcher}'s clients get an answer from it, or the
     * generator lists it as rejected, or {@link #SWAP_TIMEOUT}; notes the outcome in {@code swaps}, for a served
     * version with the time from just before the publish to its first answer.
     */
    private static void swap(HttpClient http, CheckpointPublisher publisher, ServiceProcess generator,
                             HttpLoad watcher, long version, Swaps swaps) {
        Checkpoint checkpoint = checkpoint(version);
        long published = System.nanoTime();
        publisher.publish(checkpoint.metadata(), checkpoint.onnx());
        long deadline = published + SWAP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            OptionalLong served = watcher.awaitVersion(version, REJECTION_POLL);
            if (served.isPresent()) {
                swaps.publishToServeMillis.add((served.getAsLong() - published) / 1e6);
                return;
            }
            String rejection = rejectionReason(http, generator, version);
            if (rejection != null) {
                log("version " + version + " rejected: " + rejection);
                swaps.rejections.add(version + ": " + rejection);
                return;
            }
        }
        log("version " + version + " not served within " + SWAP_TIMEOUT.toSeconds() + " s");
        swaps.notServed++;
    }

    /** The reason the generator gives for rejecting {@code version}, or null while it does not list it. */
    private static String rejectionReason(HttpClient http, ServiceProcess generator, long version) {
        for (JsonNode rejection : modelsView(http, generator).path("rejected")) {
            if (rejection.path("version").asLong() == version) {
                return rejection.path("reason").asText();
            }
        }
        return null;
    }

    /** Checkpoint {@code version}: the trainer-sized conditional generator, weights drawn from the version. */
    private static Checkpoint checkpoint(long version) {
        byte[] onnx = GeneratorModels.trainerSized(version).conditional().build();
        return new Checkpoint(TestCheckpoints.conditionalMetadata(version, onnx, TestCheckpoints.SHIP_LABELS), onnx);
    }

    private static JsonNode modelsView(HttpClient http, ServiceProcess generator) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(generator.baseUrl() + "/api/v1/models"))
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("models view answered " + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the models view of " + generator.baseUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Requests merged per ONNX Runtime run between two readings of the models view's batching counters. */
    private static double requestsPerRun(JsonNode before, JsonNode after) {
        long batches = after.path("batches").asLong() - before.path("batches").asLong();
        long requests = after.path("requests").asLong() - before.path("requests").asLong();
        return batches == 0 ? Double.NaN : (double) requests / batches;
    }

    /** VmRSS of the process, in kB. */
    private static long rssKb(ServiceProcess process) {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + status, e);
        }
        throw new IllegalStateException(status + " has no VmRSS line");
    }

    private static HttpLoad.Window logFailures(String name, HttpLoad.Window window) {
        if (window.failedSinceStart() > 0) {
            log(name + ": " + window.failed() + " failed in the window, " + window.failedSinceStart()
                    + " since the clients started, e.g. " + window.failureExamples());
        }
        return window;
    }

    private static void printTable(Options options, Figures f) {
        System.out.printf(Locale.ROOT, "ShipGAN serving benchmark, %s, %d cores (%s), Java %s, device %s%n",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"),
                f.device());
        System.out.printf(Locale.ROOT, "checkpoints: trainer-sized conditional DCGAN, %,d parameters, %.1f MB; "
                        + "generators and gateway from their packaged jars (-Xmx1g), 1 intra-op thread, "
                        + "batching max %d samples / %.1f ms wait / %d runners%n%n",
                parameters(f.checkpoint().onnx()), f.checkpoint().onnx().length / 1e6,
                f.batching().path("maxBatchSize").asInt(),
                Duration.parse(f.batching().path("maxWait").asText()).toNanos() / 1e6,
                f.batching().path("runners").asInt());

        System.out.println("| measurement | p50 ms | p99 ms | images/s | detail | target | verdict |");
        System.out.println("|---|--:|--:|--:|---|---|---|");
        Row raw = f.raw();
        printRow("raw ONNX Runtime in-process, batch 1, 1 thread", raw.p50Ms(), raw.p99Ms(), raw.imagesPerSecond(),
                options.rawRuns() + " runs", "", "");
        Row raw64 = f.raw64();
        printRow("raw ONNX Runtime in-process, batch 64, 1 thread", raw64.p50Ms(), raw64.p99Ms(),
                raw64.imagesPerSecond(), raw64Runs(options) + " runs; p50/p99 per run of 64", "", "");
        printHttpRow(f.generator(), "", "");
        printHttpRow(f.generatorUnbatched(), "", "");
        double gatewayLimit = 2 * raw.p50Ms() + 1;
        printHttpRow(f.gateway(), String.format(Locale.ROOT, "p50 ≤ 2 × raw + 1 ms = %.2f ms", gatewayLimit),
                verdict(f.gateway().row().p50Ms() <= gatewayLimit));
        printHttpRow(f.unbatched(), "", "");
        double gain = f.batched().window().imagesPerSecond() / f.unbatched().window().imagesPerSecond();
        printHttpRow(f.batched(), String.format(Locale.ROOT, "≥ %.0f × off; measured %.2f ×", BATCHING_GAIN_TARGET,
                gain), verdict(gain >= BATCHING_GAIN_TARGET));

        SwapFigures swaps = f.swaps();
        printSwapRow(String.format(Locale.ROOT, "publish → first answer of the new version, %d swaps under load",
                swaps.loaded().served()), swaps.loaded(), swaps.loadWindow().imagesPerSecond(),
                options.loadClients() + " clients via the gateway");
        printSwapRow(String.format(Locale.ROOT, "publish → first answer of the new version, %d quiet swaps",
                swaps.quiet().served()), swaps.quiet(), Double.NaN,
                "1 polling client via the gateway, " + swaps.quietFailed() + " failed");
        HttpLoad.Window loaded = swaps.loadWindow();
        printRow(String.format(Locale.ROOT, "failed requests during %d swaps under load", swaps.loaded().served()),
                Double.NaN, Double.NaN, loaded.imagesPerSecond(), String.format(Locale.ROOT, "%d of %d requests",
                        loaded.failed(), loaded.failed() + loaded.succeeded()), "0",
                verdict(loaded.failed() == 0 && swaps.loaded().served() == options.loadedSwaps()));
        double growth = (double) (swaps.rssLastKb() - swaps.rssFirstKb()) / swaps.rssFirstKb();
        printRow(String.format(Locale.ROOT, "generator RSS after swap 1 and after swap %d", swaps.served()),
                Double.NaN, Double.NaN, Double.NaN, String.format(Locale.ROOT, "%.0f MB → %.0f MB (%+.1f %%)",
                        swaps.rssFirstKb() / 1024.0, swaps.rssLastKb() / 1024.0, 100 * growth),
                String.format(Locale.ROOT, "≤ +%.0f %%", 100 * RSS_GROWTH_LIMIT),
                verdict(growth <= RSS_GROWTH_LIMIT && swaps.served() == options.swaps()));

        List<String> rejections = new ArrayList<>(swaps.loaded().rejections);
        rejections.addAll(swaps.quiet().rejections);
        if (!rejections.isEmpty()) {
            System.out.printf(Locale.ROOT, "%nrejected by the generator's validator (not counted as swaps): %s%n",
                    String.join("; ", rejections));
        }
    }

    private static void printHttpRow(HttpFigure figure, String target, String verdict) {
        Row row = figure.row();
        HttpLoad.Window window = figure.window();
        String detail = String.format(Locale.ROOT, "%d requests, %d failed", window.succeeded() + window.failed(),
                window.failed());
        if (figure.clients() > 1) {
            detail += String.format(Locale.ROOT, ", %.2f requests per ONNX Runtime run", figure.requestsPerRun());
        }
        printRow(row.name(), row.p50Ms(), row.p99Ms(), row.imagesPerSecond(), detail, target, verdict);
    }

    private static void printSwapRow(String name, Swaps swaps, double imagesPerSecond, String detail) {
        long[] nanos = swaps.publishToServeMillis.stream().mapToLong(ms -> (long) (ms * 1e6)).toArray();
        Row row = SamplingBenchmark.row(name, nanos, imagesPerSecond, Double.NaN);
        double max = swaps.publishToServeMillis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        String fullDetail = String.format(Locale.ROOT, "%s, max %.0f ms", detail, max);
        if (!swaps.rejections.isEmpty()) {
            fullDetail += ", " + swaps.rejections.size() + " more published and rejected";
        }
        if (swaps.notServed > 0) {
            fullDetail += ", " + swaps.notServed + " more published and never served";
        }
        printRow(name, row.p50Ms(), row.p99Ms(), imagesPerSecond, fullDetail,
                String.format(Locale.ROOT, "≤ %.0f ms, every swap", PUBLISH_TO_SERVE_LIMIT_MS),
                verdict(swaps.notServed == 0 && max <= PUBLISH_TO_SERVE_LIMIT_MS));
    }

    private static void printRow(String name, double p50, double p99, double imagesPerSecond, String detail,
                                 String target, String verdict) {
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", name, figure(p50, "%.2f"),
                figure(p99, "%.2f"), figure(imagesPerSecond, "%.1f"), detail, target, verdict);
    }

    private static String figure(double value, String format) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, format, value);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "missed";
    }

    /** Values in the checkpoint's initializers: weights, biases and batch-normalisation statistics. */
    private static long parameters(byte[] onnx) {
        try {
            long total = 0;
            for (TensorProto tensor : ModelProto.parseFrom(onnx).getGraph().getInitializerList()) {
                total += tensor.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
            }
            return total;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the benchmark's own checkpoint does not parse", e);
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static void log(String message) {
        System.err.printf(Locale.ROOT, "[bench %tT] %s%n", System.currentTimeMillis(), message);
    }

    /** What the run started, closed once in reverse order: at the end, on an error, or on Ctrl-C. */
    private static final class Processes implements AutoCloseable {

        private final Deque<AutoCloseable> started = new ArrayDeque<>();

        synchronized <T extends AutoCloseable> T keep(T resource) {
            started.push(resource);
            return resource;
        }

        @Override
        public synchronized void close() {
            while (!started.isEmpty()) {
                AutoCloseable resource = started.pop();
                try {
                    resource.close();
                } catch (Exception e) {
                    System.err.println("could not stop " + resource + ": " + e);
                }
            }
        }
    }
}
