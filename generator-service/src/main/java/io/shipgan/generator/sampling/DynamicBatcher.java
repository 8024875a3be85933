package io.shipgan.generator.sampling;

import io.quarkus.logging.Log;
import io.shipgan.generator.config.GeneratorConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Merges concurrent sampling requests into one ONNX Runtime run. Callers queue their latents and wait; a few
 * runner threads each take the oldest request and every queued request for the same model (never another
 * version: a swap may sit between them) up to the maximum batch size, run them as one batch and hand each
 * caller its own slice. Requests for different labels of a conditional model merge too: the label is an input per
 * sample. Each sample's output depends only on its own latent and label, so a request gets the same values merged
 * or alone.
 *
 * <p>A batch is held open for up to the maximum wait only once requests have been arriving together (the
 * previous batch merged more than one): under load that fills batches, while a lone caller is never delayed.
 */
@ApplicationScoped
public class DynamicBatcher {

    private final GeneratorRunner runner;
    private final boolean enabled;
    private final int maxBatchSize;
    private final long maxWaitNanos;
    private final int runnerCount;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workQueued = lock.newCondition();
    private final Condition moreForLingering = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final List<LoadedModel> lingeringOn = new ArrayList<>();
    private final List<Thread> runners = new ArrayList<>();
    private volatile boolean running = true;
    private volatile int lastBatchRequests;

    private final LongAdder batches = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder samples = new LongAdder();
    private final LongAccumulator largestBatch = new LongAccumulator(Math::max, 0);

    @Inject
    public DynamicBatcher(GeneratorConfig config, GeneratorRunner runner) {
        this(runner, config.batching().enabled(), config.batching().maxBatchSize(), config.batching().maxWait(),
                config.batching().runners());
    }

    /** A batcher with explicit settings, for benchmarks and tests; {@code enabled=false} runs each call alone. */
    public DynamicBatcher(GeneratorRunner runner, boolean enabled, int maxBatchSize, Duration maxWait,
                          int runnerCount) {
        this.runner = runner;
        this.enabled = enabled;
        this.maxBatchSize = Math.max(1, maxBatchSize);
        this.maxWaitNanos = Math.max(0, maxWait.toNanos());
        this.runnerCount = Math.max(1, runnerCount);
        if (enabled) {
            startRunners();
        }
    }

    private void startRunners() {
        for (int i = 1; i <= runnerCount; i++) {
            Thread thread = new Thread(this::runBatches, "sampling-batcher-" + i);
            thread.setDaemon(true);
            thread.start();
            runners.add(thread);
        }
        Log.debugf("dynamic batching on: %d runners, batches up to %d samples, held up to %d µs", runnerCount,
                maxBatchSize, TimeUnit.NANOSECONDS.toMicros(maxWaitNanos));
    }

    /**
     * Runs the generator on the latents (and labels), merged with whatever else is queued for the same model;
     * blocks until this request's slice is ready.
     *
     * @param labels one label index per sample for a conditional model; null for an unconditional one
     * @return {@code count * valuesPerSample} floats, as {@link GeneratorRunner#runGenerator} gives them alone
     * @throws SamplingException when the merged run fails
     */
    public float[] runGenerator(LoadedModel model, float[] latents, long[] labels, int count) {
        if (!enabled) {
            countBatch(1, count);
            return runner.runGenerator(model, latents, labels, count);
        }
        Pending pending = new Pending(model, latents, labels, count);
        enqueue(pending);
        try {
            return pending.result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new SamplingException("batched run failed: " + e.getCause(), e.getCause());
        }
    }

    /** What batching did so far. */
    public Stats stats() {
        return new Stats(enabled, maxBatchSize, Duration.ofNanos(maxWaitNanos), enabled ? runnerCount : 0,
                batches.sum(), requests.sum(), samples.sum(), largestBatch.get());
    }

    private void enqueue(Pending pending) {
        lock.lock();
        try {
            if (!running) {
                throw new SamplingException("the sampler is shutting down");
            }
            queue.addLast(pending);
            if (lingeringOn.contains(pending.model)) {
                moreForLingering.signalAll();
            } else {
                workQueued.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void runBatches() {
        while (true) {
            List<Pending> batch;
            try {
                batch = takeBatch();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                return;
            }
            runBatch(batch);
        }
    }

    /** The next batch: the oldest request and queued ones of its model, held open a little under load. */
    private List<Pending> takeBatch() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (!running) {
                    return null;
                }
                workQueued.await();
            }
            List<Pending> batch = new ArrayList<>();
            LoadedModel model = queue.peekFirst().model;
            int taken = collectSameModel(batch, model, 0);
            if (taken < maxBatchSize && maxWaitNanos > 0 && lastBatchRequests > 1) {
                taken = lingerForMore(batch, model, taken);
            }
            lastBatchRequests = batch.size();
            if (!queue.isEmpty()) {
                // Left behind: another model's requests, or more than fit. Another runner may take them now.
                workQueued.signal();
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private int lingerForMore(List<Pending> batch, LoadedModel model, int taken) throws InterruptedException {
        long remaining = maxWaitNanos;
        lingeringOn.add(model);
        try {
            while (taken < maxBatchSize && remaining > 0 && running) {
                remaining = moreForLingering.awaitNanos(remaining);
                taken = collectSameModel(batch, model, taken);
            }
        } finally {
            lingeringOn.remove(model);
        }
        return taken;
    }

    /** Moves queued requests of {@code model} into the batch, oldest first, while they fit; the first always. */
    private int collectSameModel(List<Pending> batch, LoadedModel model, int taken) {
        Iterator<Pending> queued = queue.iterator();
        while (queued.hasNext() && taken < maxBatchSize) {
            Pending next = queued.next();
            if (next.model != model || (taken > 0 && taken + next.count > maxBatchSize)) {
                continue;
            }
            queued.remove();
            batch.add(next);
            taken += next.count;
        }
        return taken;
    }

    private void runBatch(List<Pending> batch) {
        LoadedModel model = batch.get(0).model;
        int total = 0;
        for (Pending pending : batch) {
            total += pending.count;
        }
        try {
            float[] output = runner.runGenerator(model, mergeLatents(batch, total), mergeLabels(batch, total),
                    total);
            countBatch(batch.size(), total);
            handOutSlices(batch, output, model.modelInterface().valuesPerSample());
        } catch (RuntimeException | Error e) {
            for (Pending pending : batch) {
                pending.result.completeExceptionally(e);
            }
        }
    }

    private static float[] mergeLatents(List<Pending> batch, int total) {
        if (batch.size() == 1) {
            return batch.get(0).latents;
        }
        int latentSize = batch.get(0).model.modelInterface().latentSize();
        float[] merged = new float[total * latentSize];
        int offset = 0;
        for (Pending pending : batch) {
            System.arraycopy(pending.latents, 0, merged, offset, pending.count * latentSize);
            offset += pending.count * latentSize;
        }
        return merged;
    }

    /** The batch's label rows, request after request; null for an unconditional model. */
    private static long[] mergeLabels(List<Pending> batch, int total) {
        if (batch.size() == 1 || batch.get(0).labels == null) {
            return batch.get(0).labels;
        }
        long[] merged = new long[total];
        int offset = 0;
        for (Pending pending : batch) {
            System.arraycopy(pending.labels, 0, merged, offset, pending.count);
            offset += pending.count;
        }
        return merged;
    }

    private static void handOutSlices(List<Pending> batch, float[] output, int perSample) {
        if (batch.size() == 1) {
            batch.get(0).result.complete(output);
            return;
        }
        int offset = 0;
        for (Pending pending : batch) {
            int length = pending.count * perSample;
            pending.result.complete(Arrays.copyOfRange(output, offset, offset + length));
            offset += length;
        }
    }

    private void countBatch(int requestCount, int sampleCount) {
        batches.increment();
        requests.add(requestCount);
        samples.add(sampleCount);
        largestBatch.accumulate(sampleCount);
    }

    /** Stops the runners; requests still queued fail rather than hang. */
    @PreDestroy
    public void stop() {
        List<Pending> abandoned;
        lock.lock();
        try {
            running = false;
            abandoned = new ArrayList<>(queue);
            queue.clear();
            workQueued.signalAll();
            moreForLingering.signalAll();
        } finally {
            lock.unlock();
        }
        for (Pending pending : abandoned) {
            pending.result.completeExceptionally(new SamplingException("the sampler is shutting down"));
        }
        for (Thread thread : runners) {
            thread.interrupt();
        }
    }

    /**
     * @param enabled      whether requests are merged
     * @param maxBatchSize most samples in one merged run
     * @param maxWait      longest a batch is held open under load
     * @param runners      threads running batches; 0 when batching is off
     * @param batches      ONNX Runtime runs made for requests
     * @param requests     requests answered
     * @param samples      samples computed
     * @param largestBatch most samples in one run so far
     */
    public record Stats(boolean enabled, int maxBatchSize, Duration maxWait, int runners, long batches,
                        long requests, long samples, long largestBatch) {

        /** Requests per ONNX Runtime run on average; 1 without batching. */
        public double meanRequestsPerBatch() {
            return batches == 0 ? 0 : (double) requests / batches;
        }
    }

    private static final class Pending {
        final LoadedModel model;
        final float[] latents;
        final long[] labels;
        final int count;
        final CompletableFuture<float[]> result = new CompletableFuture<>();

        Pending(LoadedModel model, float[] latents, long[] labels, int count) {
            this.model = model;
            this.latents = latents;
            this.labels = labels;
            this.count = count;
        }
    }
}
