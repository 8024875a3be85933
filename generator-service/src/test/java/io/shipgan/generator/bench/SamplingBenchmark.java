package io.shipgan.generator.bench;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.generator.config.GeneratorConfig.Device;
import io.shipgan.generator.sampling.Latents;
import io.shipgan.generator.sampling.LoadedModel;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.GeneratorParts;
import io.shipgan.generator.testing.TestCheckpoints;
import io.shipgan.generator.testing.TestConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * In-process sampling benchmark on the real ONNX Runtime: batch-1 latency and throughput of the raw generator
 * run, then many concurrent single-image callers through the generator's {@code Sampler} with dynamic batching
 * off and on. Prints one table. Not a test: run {@link #main} from the test classpath (see the module README), or
 * call {@link #run(Options)} from another benchmark and read the {@link Result}; {@link #measureRaw} measures one
 * checkpoint's raw runs alone, as the serving benchmark compares them with HTTP.
 *
 * <pre>
 * --model PATH        an exported generator .onnx (default: the DCGAN-shaped test generator, weights seed 1)
 * --device cpu|cuda|auto   where ONNX Runtime runs (default cpu)
 * --callers N         concurrent single-image callers (default 64)
 * --seconds S         measured seconds per concurrent mode (default 5, after 1 s of warm-up)
 * --runs N            measured raw batch-1 runs (default 1000)
 * --max-batch N       batching: most samples per run (default 64)
 * --max-wait-ms MS    batching: how long a batch is held open under load (default 2)
 * --runners N         batching: threads running batches (default 2)
 * </pre>
 */
public final class SamplingBenchmark {

    private static final Duration WARM_UP = Duration.ofSeconds(1);

    /**
     * @param model       an exported generator, or null for the test generator
     * @param device      where ONNX Runtime runs
     * @param callers     concurrent single-image callers
     * @param measured    measured time per concurrent mode
     * @param rawRuns     measured raw batch-1 runs
     * @param maxBatch    batching: most samples per run
     * @param maxWait     batching: how long a batch is held open under load
     * @param runners     batching: threads running batches
     */
    public record Options(Path model, Device device, int callers, Duration measured, int rawRuns, int maxBatch,
                          Duration maxWait, int runners) {

        public static Options defaults() {
            return new Options(null, Device.CPU, 64, Duration.ofSeconds(5), 1000, 64, Duration.ofMillis(2), 2);
        }
    }

    /**
     * One row of the table.
     *
     * @param name           what was measured
     * @param p50Ms          median latency of one call
     * @param p99Ms          99th percentile latency of one call
     * @param imagesPerSecond images per second over the measurement
     * @param meanBatch      requests merged per ONNX Runtime run (1 without batching)
     */
    public record Row(String name, double p50Ms, double p99Ms, double imagesPerSecond, double meanBatch) {
    }

    /**
     * @param device    where the model ran
     * @param modelBytes size of the ONNX model
     * @param raw       raw batch-1 runs on one thread
     * @param raw64     raw batch-64 runs on one thread (per run, images/s counts all 64)
     * @param unbatched concurrent callers, batching off
     * @param batched   concurrent callers, batching on
     */
    public record Result(String device, int modelBytes, Row raw, Row raw64, Row unbatched, Row batched) {

        /** Batched over unbatched throughput. */
        public double batchingGain() {
            return batched.imagesPerSecond() / unbatched.imagesPerSecond();
        }
    }

    private SamplingBenchmark() {
    }

    public static void main(String[] args) {
        // Without Quarkus the rollout's INFO lines go to java.util.logging; the table is what matters here.
        Logger.getLogger("").setLevel(Level.WARNING);
        Options options = parseOptions(args);
        Result result = run(options);
        printTable(options, result);
    }

    /** Runs every measurement once and returns the figures. */
    public static Result run(Options options) {
        byte[] onnx = readModel(options.model());
        CheckpointMetadata metadata = TestCheckpoints.metadata(1, onnx);
        TestConfig base = TestConfig.cpu().withDevice(options.device());
        TestConfig unbatchedConfig = base.withBatching(false, options.maxBatch(), options.maxWait(), options.runners());
        TestConfig batchedConfig = base.withBatching(true, options.maxBatch(), options.maxWait(), options.runners());

        try (GeneratorParts unbatched = new GeneratorParts(unbatchedConfig);
             GeneratorParts batched = new GeneratorParts(batchedConfig)) {
            LoadedModel model = unbatched.validator.validateCandidate(metadata, onnx);
            unbatched.activeModel.swapActiveModel(model);
            batched.activeModel.swapActiveModel(batched.validator.validateCandidate(metadata, onnx));

            Row raw = measureRaw(unbatched, model, 1, options.rawRuns());
            Row raw64 = measureRaw(unbatched, model, 64, Math.max(20, options.rawRuns() / 32));
            Row off = measureCallers("sampler, " + options.callers() + " callers, batching off", unbatched, options);
            Row on = measureCallers(String.format(Locale.ROOT, "sampler, %d callers, batching on (max %d, %s ms)",
                    options.callers(), options.maxBatch(), millis(options.maxWait())), batched, options);
            String device = model.device();
            unbatched.activeModel.current().ifPresent(LoadedModel::release);
            batched.activeModel.current().ifPresent(LoadedModel::release);
            return new Result(device, onnx.length, raw, raw64, off, on);
        }
    }

    /**
     * Raw runs of {@code batch} samples of one checkpoint on one thread, after validating it as a replica would:
     * {@code runs} measured after {@code runs / 10} (at least 20) unmeasured ones.
     *
     * @param metadata what the checkpoint's metadata says, labels included for a conditional model
     */
    public static Row measureRaw(byte[] onnx, CheckpointMetadata metadata, Device device, int batch, int runs) {
        try (GeneratorParts parts = new GeneratorParts(TestConfig.cpu().withDevice(device))) {
            LoadedModel model = parts.validator.validateCandidate(metadata, onnx);
            try {
                return measureRaw(parts, model, batch, runs);
            } finally {
                model.release();
            }
        }
    }

    /**
     * One thread, the generator run alone: latents (and label 0 for every sample of a conditional model) in, floats
     * out, no lease, no batcher.
     */
    private static Row measureRaw(GeneratorParts parts, LoadedModel model, int batch, int runs) {
        int latentSize = model.modelInterface().latentSize();
        long[] labels = model.modelInterface().conditional() ? new long[batch] : null;
        for (int i = 0; i < Math.max(20, runs / 10); i++) {
            parts.runner.runGenerator(model, Latents.forRequest(i, batch, latentSize), labels, batch);
        }
        long[] nanos = new long[runs];
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            float[] latents = Latents.forRequest(i, batch, latentSize);
            long t0 = System.nanoTime();
            parts.runner.runGenerator(model, latents, labels, batch);
            nanos[i] = System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return row("raw ONNX Runtime, batch " + batch + ", 1 thread", nanos, runs * (long) batch / seconds, 1);
    }

    /** Callers that each ask for one image at a time, as fast as answers come, through the Sampler. */
    private static Row measureCallers(String name, GeneratorParts parts, Options options) {
        int callers = options.callers();
        List<List<Long>> latencies = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            latencies.add(new ArrayList<>());
        }
        AtomicInteger phase = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(callers);
        List<Thread> threads = new ArrayList<>();
        for (int caller = 0; caller < callers; caller++) {
            List<Long> mine = latencies.get(caller);
            long firstSeed = caller * 1_000_000L;
            Thread thread = new Thread(() -> {
                long seed = firstSeed;
                while (phase.get() < 2) {
                    boolean measuring = phase.get() == 1;
                    long t0 = System.nanoTime();
                    parts.sampler.sample(seed++, 1);
                    if (measuring && phase.get() == 1) {
                        mine.add(System.nanoTime() - t0);
                    }
                }
                done.countDown();
            }, "bench-caller-" + caller);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        long batchesBefore;
        long requestsBefore;
        sleep(WARM_UP);
        batchesBefore = parts.batcher.stats().batches();
        requestsBefore = parts.batcher.stats().requests();
        phase.set(1);
        long start = System.nanoTime();
        sleep(options.measured());
        phase.set(2);
        double seconds = (System.nanoTime() - start) / 1e9;
        long batches = parts.batcher.stats().batches() - batchesBefore;
        long requests = parts.batcher.stats().requests() - requestsBefore;
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long[] nanos = latencies.stream().flatMap(List::stream).mapToLong(Long::longValue).toArray();
        return row(name, nanos, nanos.length / seconds, batches == 0 ? 0 : (double) requests / batches);
    }

    /** A row from one latency per call in nanoseconds (sorted in place), the throughput and the merge ratio. */
    public static Row row(String name, long[] nanos, double imagesPerSecond, double meanBatch) {
        Arrays.sort(nanos);
        return new Row(name, percentile(nanos, 0.50), percentile(nanos, 0.99), imagesPerSecond, meanBatch);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static void printTable(Options options, Result result) {
        System.out.printf(Locale.ROOT, "ShipGAN sampling benchmark, %s, %d cores, device %s, model %s (%d bytes), "
                        + "1 intra-op thread%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                result.device(), options.model() == null ? "test DCGAN" : options.model(), result.modelBytes());
        System.out.printf(Locale.ROOT, "%-58s %9s %9s %11s %10s%n", "measurement", "p50 ms", "p99 ms", "images/s",
                "req/run");
        for (Row row : List.of(result.raw(), result.raw64(), result.unbatched(), result.batched())) {
            System.out.printf(Locale.ROOT, "%-58s %9.3f %9.3f %11.1f %10.2f%n", row.name(), row.p50Ms(), row.p99Ms(),
                    row.imagesPerSecond(), row.meanBatch());
        }
        System.out.printf(Locale.ROOT, "batching on / off throughput: %.2f x%n", result.batchingGain());
    }

    private static Options parseOptions(String[] args) {
        Options o = Options.defaults();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            String value = args[i + 1];
            o = switch (args[i]) {
                case "--model" -> new Options(Path.of(value), o.device(), o.callers(), o.measured(), o.rawRuns(),
                        o.maxBatch(), o.maxWait(), o.runners());
                case "--device" -> new Options(o.model(), Device.valueOf(value.toUpperCase(Locale.ROOT)),
                        o.callers(), o.measured(), o.rawRuns(), o.maxBatch(), o.maxWait(), o.runners());
                case "--callers" -> new Options(o.model(), o.device(), Integer.parseInt(value), o.measured(),
                        o.rawRuns(), o.maxBatch(), o.maxWait(), o.runners());
                case "--seconds" -> new Options(o.model(), o.device(), o.callers(),
                        Duration.ofMillis((long) (Double.parseDouble(value) * 1000)), o.rawRuns(), o.maxBatch(),
                        o.maxWait(), o.runners());
                case "--runs" -> new Options(o.model(), o.device(), o.callers(), o.measured(),
                        Integer.parseInt(value), o.maxBatch(), o.maxWait(), o.runners());
                case "--max-batch" -> new Options(o.model(), o.device(), o.callers(), o.measured(), o.rawRuns(),
                        Integer.parseInt(value), o.maxWait(), o.runners());
                case "--max-wait-ms" -> new Options(o.model(), o.device(), o.callers(), o.measured(), o.rawRuns(),
                        o.maxBatch(), Duration.ofNanos((long) (Double.parseDouble(value) * 1e6)), o.runners());
                case "--runners" -> new Options(o.model(), o.device(), o.callers(), o.measured(), o.rawRuns(),
                        o.maxBatch(), o.maxWait(), Integer.parseInt(value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; see the class documentation");
            };
        }
        return o;
    }

    private static byte[] readModel(Path model) {
        if (model == null) {
            return GeneratorModels.dcgan(1).build();
        }
        try {
            return Files.readAllBytes(model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + model, e);
        }
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.3g", duration.toNanos() / 1e6);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
