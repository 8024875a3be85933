package io.shipgan.generator.rollout;

import io.shipgan.generator.checkpoint.CheckpointActivation.Outcome;
import io.shipgan.generator.sampling.ActiveModel;
import io.shipgan.generator.sampling.LoadedModel;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.GeneratorParts;
import io.shipgan.generator.testing.TestCheckpoints;
import io.shipgan.generator.testing.TestConfig;
import jakarta.enterprise.inject.Vetoed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hundreds of swaps through the whole rollout path (validation, cache, activation) under concurrent batched
 * requests: no request fails, every replaced session is closed, the cache stays at its bound, and the process
 * does not grow.
 */
class ManySwapsTest {

    private static final int SWAPS = 200;
    private static final int WARM_UP_SWAPS = 50;
    private static final int CALLERS = 4;
    /**
     * Sessions that were never closed would cost at least their 2 MB of weights each, 300 MB over the measured
     * swaps. Measured outside the Java heap, which the JVM grows and shrinks as it likes; ONNX Runtime's memory
     * and malloc's arenas settle within the first hundred swaps.
     */
    private static final long NATIVE_GROWTH_LIMIT_KB = 64 * 1024;

    @TempDir
    Path cacheDir;

    @Test
    void closesEveryReplacedSessionOverTwoHundredSwapsUnderLoad() throws Exception {
        RememberingActiveModel activeModel = new RememberingActiveModel();
        GeneratorParts replica = new GeneratorParts(TestConfig.cpu().withCache(cacheDir, 3), activeModel);
        // One set of weights is enough: each version still gets a session of its own to be closed.
        byte[] onnx = GeneratorModels.dcgan(1).build();
        replica.activation.offer(TestCheckpoints.candidate(TestCheckpoints.metadata(1, onnx), onnx));

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger requests = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        List<Future<?>> callers = new ArrayList<>();
        for (int caller = 0; caller < CALLERS; caller++) {
            long seed = caller;
            callers.add(pool.submit(() -> {
                while (running.get()) {
                    try {
                        replica.sampler.sample(seed, 1);
                        requests.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }));
        }

        Memory afterWarmUp = null;
        for (long version = 2; version <= SWAPS + 1; version++) {
            Outcome outcome = replica.activation.offer(TestCheckpoints.candidate(
                    TestCheckpoints.metadata(version, onnx), onnx));
            assertEquals(Outcome.ACTIVATED, outcome, "version " + version);
            if (version == WARM_UP_SWAPS + 1) {
                afterWarmUp = Memory.measure();
            }
        }
        Memory afterAll = Memory.measure();
        running.set(false);
        for (Future<?> caller : callers) {
            caller.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertEquals(List.of(), failures);
        assertTrue(requests.get() > SWAPS, "requests ran during the swaps: " + requests.get());
        List<LoadedModel> swapped = activeModel.swapped;
        assertEquals(SWAPS + 1, swapped.size());
        for (LoadedModel old : swapped.subList(0, SWAPS)) {
            assertTrue(old.isClosed(), "model " + old.version() + " closed after its last request");
        }
        assertFalse(swapped.get(SWAPS).isClosed());
        assertEquals(List.of(201L, 200L, 199L), replica.cache.cachedVersions());
        System.out.printf("after %d swaps: %s; after %d swaps: %s; %d requests served%n", WARM_UP_SWAPS,
                afterWarmUp, SWAPS, afterAll, requests.get());
        assertTrue(afterAll.outsideHeapKb() - afterWarmUp.outsideHeapKb() < NATIVE_GROWTH_LIMIT_KB,
                "memory outside the Java heap grew from " + afterWarmUp + " to " + afterAll);

        swapped.get(SWAPS).release();
        replica.close();
    }

    /**
     * The process's resident memory (VmRSS) and the Java heap's committed size, after a full collection.
     *
     * @param rssKb      resident set, kB
     * @param heapKb     committed Java heap, kB
     */
    record Memory(long rssKb, long heapKb) {

        static Memory measure() throws IOException {
            System.gc();
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return new Memory(Long.parseLong(line.replaceAll("[^0-9]", "")),
                            Runtime.getRuntime().totalMemory() / 1024);
                }
            }
            throw new IllegalStateException("no VmRSS in /proc/self/status");
        }

        /** Resident memory not accounted for by the committed heap: native code, ONNX Runtime, metaspace. */
        long outsideHeapKb() {
            return rssKb - heapKb;
        }

        @Override
        public String toString() {
            return String.format("RSS %d MB (heap committed %d MB, outside the heap %d MB)", rssKb / 1024,
                    heapKb / 1024, outsideHeapKb() / 1024);
        }
    }

    /** The real slot, keeping every model swapped in; vetoed so it never replaces the application's bean. */
    @Vetoed
    static final class RememberingActiveModel extends ActiveModel {
        final List<LoadedModel> swapped = new CopyOnWriteArrayList<>();

        @Override
        public void swapActiveModel(LoadedModel candidate) {
            swapped.add(candidate);
            super.swapActiveModel(candidate);
        }
    }
}
