package io.shipgan.system.reliability;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.system.GatewayKeys;
import io.shipgan.system.KillUnderLoad;
import io.shipgan.system.ServiceProcess;
import io.shipgan.testing.KafkaBroker;
import io.shipgan.testing.LoopbackPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Promises 5 and 6 on the real broker, two packaged generator replicas and the packaged gateway in front, all
 * processes: steady closed-loop load through the gateway while signed trainer-sized checkpoints swap in, with each
 * replica's memory sampled every second; then one replica killed with SIGKILL under the same load.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SustainedLoadIT {

    private static final String SUSTAINED = "6 sustained load with swaps";
    private static final String KILLED = "5 replica killed under load";
    private static final int CLIENTS = 4;
    private static final Duration SWAP_LIMIT = Duration.ofSeconds(30);
    private static final Duration KILL_LOAD = Duration.ofSeconds(10);
    private static final Duration KILL_AFTER = Duration.ofSeconds(4);
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(5);
    private static final double FAILED_SHARE_LIMIT = 0.01;
    /**
     * The replicas' heap is fixed and touched at start, so that their resident memory does not grow while the JVM
     * sizes its heap up under load (measured: +140 MiB in the first 20 s with the default heap); what RSS then adds
     * is memory outside the heap, where ONNX Runtime sessions live. The heap is watched on its own (live data
     * after GC).
     */
    private static final List<String> FIXED_HEAP = List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch");
    /** Sessions kept open to measure one session's memory: enough to average out the allocator's steps. */
    private static final int FOOTPRINT_SESSIONS = 4;

    private static KafkaBroker broker;
    private static CheckpointSender sender;
    private static List<GeneratorReplica> replicas;
    private static ServiceProcess gateway;
    private static final long FIRST_VERSION = 1;

    @BeforeAll
    static void startStack() throws Exception {
        broker = KafkaBroker.start();
        sender = CheckpointSender.withNewTrainerKey(broker.bootstrapServers());
        replicas = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int number = 1; number <= 2; number++) {
            GeneratorReplica replica = GeneratorReplica.start(number, LoopbackPorts.free(),
                    broker.bootstrapServers(), sender.publicKeyFile(), FIXED_HEAP);
            replicas.add(replica);
            addresses.add("127.0.0.1:" + replica.port());
        }
        Map<String, String> gatewayConfig = GatewayKeys.gatewayPropertiesWithoutRateLimits();
        gatewayConfig.put("quarkus.stork.generator.service-discovery.address-list", String.join(",", addresses));
        gateway = ServiceProcess.start("gateway", gatewayConfig);

        for (GeneratorReplica replica : replicas) {
            replica.awaitLive(Duration.ofSeconds(90));
        }
        sender.publishGood(FIRST_VERSION, 1);
        for (GeneratorReplica replica : replicas) {
            replica.awaitActiveVersion(version -> version == FIRST_VERSION, Duration.ofSeconds(60));
        }
        gateway.awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopStack() {
        ServiceProcess.closeAll(gateway);
        if (replicas != null) {
            ServiceProcess.closeAll(replicas.toArray(AutoCloseable[]::new));
        }
        ServiceProcess.closeAll(sender, broker);
    }

    @Test
    @Order(1)
    void servesSustainedLoadThroughSwapsWithoutServerErrorsOrGrowingMemory() throws Exception {
        int seconds = SuiteSize.integer("load-seconds", 60);
        int swaps = SuiteSize.integer("swaps", 20);
        Duration length = Duration.ofSeconds(seconds);
        long leakedSessionKib = SessionFootprint.kibPerSession(FOOTPRINT_SESSIONS);
        List<byte[]> checkpoints = new ArrayList<>();
        for (int swap = 1; swap <= swaps; swap++) {
            checkpoints.add(CheckpointSender.trainerSizedModel(1 + swap));
        }

        MemorySamples memory = MemorySamples.start(replicas, Duration.ofSeconds(1));
        List<VersionWatch> watches = replicas.stream().map(VersionWatch::start).toList();
        ClosedLoad load = ClosedLoad.start(gateway.baseUrl() + "/api/v1/images?count=1&seed=", CLIENTS, length);
        long start = System.nanoTime();
        for (int swap = 1; swap <= swaps; swap++) {
            long due = start + length.toNanos() * swap / (swaps + 1);
            TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
            byte[] onnx = checkpoints.get(swap - 1);
            CheckpointMetadata metadata = CheckpointSender.metadata(FIRST_VERSION + swap, onnx);
            sender.publishSigned(metadata, onnx);
        }
        ClosedLoad.Result result = load.await();
        watches.forEach(VersionWatch::stop);
        List<MemorySamples.Sample> samples = memory.stop();

        long lastVersion = FIRST_VERSION + swaps;
        List<Long> finalVersions = new ArrayList<>();
        for (GeneratorReplica replica : replicas) {
            finalVersions.add(replica.awaitActiveVersion(version -> version >= lastVersion, SWAP_LIMIT));
        }
        reportLoad(result, seconds, swaps);
        reportVersions(watches, result, lastVersion, finalVersions);
        reportMemory(samples, seconds, swaps, leakedSessionKib);
    }

    @Test
    @Order(2)
    void losesAtMostOnePercentAndRecoversWithinFiveSecondsWhenAReplicaIsKilled() throws Exception {
        GeneratorReplica victim = replicas.get(0);
        KillUnderLoad.Figures figures = KillUnderLoad.run(gateway.baseUrl() + "/api/v1/images?count=1&seed=",
                GatewayKeys.USER, CLIENTS, KILL_LOAD, KILL_AFTER, victim::kill);
        System.out.println("one of two generator replicas killed with SIGKILL under load: " + figures);

        double failedShare = figures.requests() == 0 ? 1 : (double) figures.failed() / figures.requests();
        Promises.require(KILLED, "failed requests", String.format("%d of %d (%.2f %%), %d in flight at the kill",
                        figures.failed(), figures.requests(), 100 * failedShare, figures.inFlightAtKill()),
                "≤ 1 %", figures.requests() > 0 && failedShare <= FAILED_SHARE_LIMIT, figures.toString());
        Duration gap = figures.longestGap();
        Promises.require(KILLED, "recovery: longest time without a 200 after the kill", gap.toMillis() + " ms",
                "≤ " + RECOVERY_LIMIT.toMillis() + " ms", figures.firstSuccessAfterKill() != null
                        && gap.compareTo(RECOVERY_LIMIT) <= 0, figures.toString());
        Promises.report(KILLED, "first 200 of a request sent after the kill",
                figures.firstSuccessAfterKill() == null ? "never" : figures.firstSuccessAfterKill().toMillis() + " ms");
    }

    private static void reportLoad(ClosedLoad.Result result, int seconds, int swaps) {
        String run = seconds + " s, " + CLIENTS + " clients via the gateway, " + swaps + " swaps";
        Promises.require(SUSTAINED, "server errors (5xx)", result.serverErrors() + " (" + run + ")", "0",
                result.serverErrors() == 0, result.failureExamples().toString());
        Promises.require(SUSTAINED, "requests answered 200", result.succeeded() + "/" + result.requests(),
                "all", result.requests() > 0 && result.succeeded() == result.requests(),
                result.failureExamples().toString());
        long[] nanos = result.latencyNanos();
        Promises.report(SUSTAINED, "latency p50 / p99 / max", millis(percentile(nanos, 0.50)) + " / "
                + millis(percentile(nanos, 0.99)) + " / " + millis(nanos.length == 0 ? 0 : nanos[nanos.length - 1]));
        Promises.report(SUSTAINED, "throughput", String.format("%.0f images/s", result.succeeded() / (double) seconds));
    }

    private static void reportVersions(List<VersionWatch> watches, ClosedLoad.Result result, long lastVersion,
                                       List<Long> finalVersions) {
        int regressions = 0;
        StringBuilder detail = new StringBuilder();
        for (VersionWatch watch : watches) {
            regressions += watch.regressions();
            detail.append(watch).append('\n');
        }
        int samples = watches.stream().mapToInt(VersionWatch::samples).sum();
        Promises.require(SUSTAINED, "versions served going back, per replica", regressions + " in " + samples
                + " samples", "0", regressions == 0, detail.toString());
        Promises.require(SUSTAINED, "last version active on both replicas", "versions " + finalVersions
                        + "; " + result.versionsSeen().size() + " versions seen via the gateway",
                "version " + lastVersion, finalVersions.stream().allMatch(version -> version == lastVersion),
                "seen via the gateway: " + result.versionsSeen());
        // The replicas swap independently, so through the gateway an answer from the replica a few ms behind can
        // follow one from the replica ahead; more than one version behind would mean a replica fell behind.
        Promises.require(SUSTAINED, "gateway answers behind the newest seen, by more than 1 version",
                result.behindByMoreThanOne() + " (" + result.behindByOne() + " by exactly 1, at swap boundaries)",
                "0", result.behindByMoreThanOne() == 0, "");
    }

    /**
     * Flat memory: from the end of the first quarter to the end, a replica's resident memory may not grow by half
     * of what the sessions swapped out in that time would hold if none were closed. A model kept alive on the heap
     * keeps its session open too, so this also catches models that are never let go. The heap's live data after GC
     * is reported beside it, without a limit: the JVM updates it only after an old-generation collection, which a
     * minute with a fixed 512 MiB heap may not see.
     */
    private static void reportMemory(List<MemorySamples.Sample> samples, int seconds, int swaps, long sessionKib) {
        int swapsAfterQuarter = swaps - swaps / 4;
        long rssLimitKib = swapsAfterQuarter * sessionKib / 2;
        Promises.report(SUSTAINED, "one leaked ONNX Runtime session, trainer-sized, served (measured)",
                mib(sessionKib) + "; RSS limit: half of the " + swapsAfterQuarter + " sessions swapped out after "
                        + "the first quarter");
        for (GeneratorReplica replica : replicas) {
            List<MemorySamples.Sample> mine = samples.stream().filter(s -> s.replica().equals(replica.id())).toList();
            MemorySamples.Sample quarter = MemorySamples.at(mine, seconds / 4.0);
            MemorySamples.Sample end = mine.get(mine.size() - 1);
            long rssGrowth = end.rssKib() - quarter.rssKib();
            String detail = replica.id() + " samples: " + mine;
            System.out.println(replica.id() + " RSS by second (MiB): "
                    + mine.stream().map(sample -> Long.toString(sample.rssKib() / 1024)).toList());
            Promises.require(SUSTAINED, replica.id() + " RSS growth, quarter → end", mib(rssGrowth) + " ("
                    + mib(quarter.rssKib()) + " → " + mib(end.rssKib()) + ", " + mine.size() + " samples)",
                    "≤ " + mib(rssLimitKib), rssGrowth <= rssLimitKib, detail);
            Promises.report(SUSTAINED, replica.id() + " heap live data after GC, quarter → end",
                    mib(quarter.heapAfterGcKib()) + " → " + mib(end.heapAfterGcKib()));
        }
    }

    private static long percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private static String millis(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }

    private static String mib(long kib) {
        return String.format("%.1f MiB", kib / 1024.0);
    }

    /**
     * Closed-loop clients through the gateway: each asks for one image with a new seed, waits, asks again, until
     * the time is up.
     */
    static final class ClosedLoad {

        /** What the clients saw, latencies sorted. */
        record Result(int requests, int succeeded, int serverErrors, long[] latencyNanos, List<Long> versionsSeen,
                      int behindByOne, int behindByMoreThanOne, List<String> failureExamples) {
        }

        private record Answer(long sentNanos, long latencyNanos, int status, long version, String failure) {
        }

        private final ExecutorService pool;
        private final List<Future<List<Answer>>> clients = new ArrayList<>();

        private ClosedLoad(ExecutorService pool) {
            this.pool = pool;
        }

        static ClosedLoad start(String urlPrefix, int clients, Duration length) {
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            ClosedLoad load = new ClosedLoad(Executors.newFixedThreadPool(clients));
            long end = System.nanoTime() + length.toNanos();
            for (int client = 0; client < clients; client++) {
                long firstSeed = client * 1_000_000_000L;
                load.clients.add(load.pool.submit(() -> ask(http, urlPrefix, firstSeed, end)));
            }
            return load;
        }

        private static List<Answer> ask(HttpClient http, String urlPrefix, long firstSeed, long end) {
            List<Answer> answers = new ArrayList<>();
            long seed = firstSeed;
            while (System.nanoTime() < end) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(urlPrefix + seed++))
                        .header(GatewayKeys.HEADER, GatewayKeys.USER)
                        .timeout(Duration.ofSeconds(20))
                        .build();
                long sent = System.nanoTime();
                try {
                    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    long version = response.headers().firstValue("X-Model-Version").map(Long::parseLong).orElse(-1L);
                    String failure = response.statusCode() == 200 ? null : response.statusCode() + " "
                            + new String(response.body(), 0, Math.min(200, response.body().length));
                    answers.add(new Answer(sent, System.nanoTime() - sent, response.statusCode(), version, failure));
                } catch (IOException e) {
                    answers.add(new Answer(sent, System.nanoTime() - sent, 0, -1, e.toString()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return answers;
        }

        Result await() throws Exception {
            List<Answer> all = new ArrayList<>();
            for (Future<List<Answer>> client : clients) {
                all.addAll(client.get());
            }
            pool.shutdown();
            all.sort((a, b) -> Long.compare(a.sentNanos() + a.latencyNanos(), b.sentNanos() + b.latencyNanos()));
            int succeeded = 0;
            int serverErrors = 0;
            int behindByOne = 0;
            int behindByMore = 0;
            long newest = -1;
            List<Long> latencies = new ArrayList<>();
            List<Long> versions = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (Answer answer : all) {
                if (answer.status() == 200) {
                    succeeded++;
                    latencies.add(answer.latencyNanos());
                    if (answer.version() < newest - 1) {
                        behindByMore++;
                    } else if (answer.version() == newest - 1) {
                        behindByOne++;
                    }
                    if (answer.version() > newest) {
                        newest = answer.version();
                        versions.add(newest);
                    }
                } else {
                    serverErrors += answer.status() >= 500 ? 1 : 0;
                    if (failures.size() < 5) {
                        failures.add(answer.failure());
                    }
                }
            }
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Result(all.size(), succeeded, serverErrors, sorted, versions, behindByOne, behindByMore,
                    failures);
        }
    }

    /** Asks one replica directly for an image five times a second and notes every version that goes back. */
    static final class VersionWatch implements Runnable {

        private final GeneratorReplica replica;
        private final Thread thread;
        private final List<Long> versions = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running = true;
        private volatile int regressions;

        private VersionWatch(GeneratorReplica replica) {
            this.replica = replica;
            this.thread = new Thread(this, "version-watch-" + replica.id());
            thread.setDaemon(true);
        }

        static VersionWatch start(GeneratorReplica replica) {
            VersionWatch watch = new VersionWatch(replica);
            watch.thread.start();
            return watch;
        }

        @Override
        public void run() {
            long newest = -1;
            long seed = 0;
            while (running) {
                try {
                    long version = replica.image(seed++).version();
                    if (version < newest) {
                        regressions++;
                    }
                    newest = Math.max(newest, version);
                    versions.add(version);
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | AssertionError e) {
                    // A failed answer is the load's figure; this watch only compares versions.
                }
            }
        }

        void stop() {
            running = false;
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        int regressions() {
            return regressions;
        }

        int samples() {
            return versions.size();
        }

        @Override
        public String toString() {
            synchronized (versions) {
                return replica.id() + ": " + regressions + " regressions in " + versions;
            }
        }
    }

    /** Every replica's memory, sampled at a fixed period on a thread of its own. */
    static final class MemorySamples {

        /**
         * One replica at one moment.
         *
         * @param seconds        since sampling began
         * @param rssKib         resident memory of the process
         * @param heapAfterGcKib the heap's live data after the last collection
         */
        record Sample(String replica, double seconds, long rssKib, long heapAfterGcKib) {

            @Override
            public String toString() {
                return String.format("%.0fs rss=%dM live=%dM", seconds, rssKib / 1024, heapAfterGcKib / 1024);
            }
        }

        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());

        static MemorySamples start(List<GeneratorReplica> replicas, Duration period) {
            MemorySamples memory = new MemorySamples();
            long start = System.nanoTime();
            memory.timer.scheduleAtFixedRate(() -> {
                for (GeneratorReplica replica : replicas) {
                    memory.sample(replica, (System.nanoTime() - start) / 1e9);
                }
            }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
            return memory;
        }

        private void sample(GeneratorReplica replica, double seconds) {
            try {
                long rss = replica.residentKib();
                String metrics = replica.metrics();
                long live = (long) (GeneratorReplica.sample(metrics, "jvm_gc_live_data_size_bytes", "") / 1024);
                samples.add(new Sample(replica.id(), seconds, rss, live));
            } catch (IOException | RuntimeException e) {
                System.err.println("memory sample of " + replica.id() + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops sampling and returns every sample in time order. */
        List<Sample> stop() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            return List.copyOf(samples);
        }

        /** The first sample at or after {@code seconds}. */
        static Sample at(List<Sample> samples, double seconds) {
            return samples.stream().filter(s -> s.seconds() >= seconds).findFirst()
                    .orElse(samples.get(samples.size() - 1));
        }
    }
}
