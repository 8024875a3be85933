package io.shipgan.generator.sampling;

import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.GeneratorParts;
import io.shipgan.generator.testing.TestCheckpoints;
import io.shipgan.generator.testing.TestConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dynamic batching on the real ONNX Runtime: merged runs give every request exactly its own pixels, also when
 * requests for different labels of a conditional model share a run.
 */
class DynamicBatcherTest {

    private static final int CALLERS = 48;

    private static GeneratorParts parts;
    private static LoadedModel first;
    private static LoadedModel second;
    private static LoadedModel conditional;

    @BeforeAll
    static void loadTwoVersions() {
        parts = GeneratorParts.onCpu();
        byte[] one = GeneratorModels.dcgan(11).build();
        byte[] two = GeneratorModels.dcgan(12).build();
        first = parts.validator.validateCandidate(TestCheckpoints.metadata(1, one), one);
        second = parts.validator.validateCandidate(TestCheckpoints.metadata(2, two), two);
        byte[] three = GeneratorModels.dcgan(14).conditional().build();
        conditional = parts.validator.validateCandidate(
                TestCheckpoints.conditionalMetadata(3, three, TestCheckpoints.SHIP_LABELS), three);
    }

    @AfterAll
    static void releaseModels() {
        first.release();
        second.release();
        conditional.release();
        parts.close();
    }

    @Test
    void mergedRequestsGetBitIdenticalPixelsToTheirSeedAlone() throws Exception {
        DynamicBatcher batcher = new DynamicBatcher(parts.runner, true, 64, Duration.ofMillis(5), 2);
        try {
            List<float[]> merged = runConcurrently(CALLERS, caller -> {
                int count = 1 + caller % 3;
                return batcher.runGenerator(first, Latents.forRequest(seedOf(caller), count, 100), null, count);
            });

            for (int caller = 0; caller < CALLERS; caller++) {
                int count = 1 + caller % 3;
                float[] alone = parts.runner.runGenerator(first, Latents.forRequest(seedOf(caller), count, 100),
                        null, count);
                assertArrayEquals(alone, merged.get(caller), "caller " + caller + ", seed " + seedOf(caller));
            }
            DynamicBatcher.Stats stats = batcher.stats();
            assertEquals(CALLERS, stats.requests());
            assertTrue(stats.batches() < CALLERS, "requests were merged: " + stats);
            assertTrue(stats.largestBatch() <= 64, "never more than the maximum batch: " + stats);
        } finally {
            batcher.stop();
        }
    }

    @Test
    void mergesRequestsForDifferentLabelsAndEachGetsThePixelsOfItsSeedAndLabelAlone() throws Exception {
        DynamicBatcher batcher = new DynamicBatcher(parts.runner, true, 64, Duration.ofMillis(5), 2);
        try {
            List<float[]> merged = runConcurrently(CALLERS, caller -> {
                int count = 1 + caller % 3;
                return batcher.runGenerator(conditional, Latents.forRequest(seedOf(caller), count, 100),
                        labelRows(caller, count), count);
            });

            for (int caller = 0; caller < CALLERS; caller++) {
                int count = 1 + caller % 3;
                float[] alone = parts.runner.runGenerator(conditional, Latents.forRequest(seedOf(caller), count, 100),
                        labelRows(caller, count), count);
                assertArrayEquals(alone, merged.get(caller), "caller " + caller + ", seed " + seedOf(caller)
                        + ", label " + caller % 2);
            }
            DynamicBatcher.Stats stats = batcher.stats();
            assertEquals(CALLERS, stats.requests());
            assertTrue(stats.batches() < CALLERS, "requests of both labels were merged: " + stats);
            float[] otherLabel = parts.runner.runGenerator(conditional, Latents.forRequest(seedOf(0), 1, 100),
                    new long[] {1}, 1);
            assertFalse(Arrays.equals(Arrays.copyOf(merged.get(0), otherLabel.length), otherLabel),
                    "the same seed draws another image for the other label");
        } finally {
            batcher.stop();
        }
    }

    @Test
    void samplerDrawsTheLabelAskedForAndTheFirstLabelByDefault() {
        try (GeneratorParts replica = new GeneratorParts(TestConfig.cpu())) {
            byte[] onnx = GeneratorModels.dcgan(15).conditional().build();
            replica.activeModel.swapActiveModel(replica.validator.validateCandidate(
                    TestCheckpoints.conditionalMetadata(1, onnx, TestCheckpoints.SHIP_LABELS), onnx));

            Samples byDefault = replica.sampler.sample(9L, 2);
            Samples ship = replica.sampler.sample(9L, 2, "ship");
            Samples noShip = replica.sampler.sample(9L, 2, "no-ship");

            assertEquals("ship", byDefault.label());
            assertArrayEquals(ship.values(), byDefault.values());
            assertEquals("no-ship", noShip.label());
            assertFalse(Arrays.equals(ship.values(), noShip.values()));
            LabelNotDrawnException unknown = assertThrows(LabelNotDrawnException.class,
                    () -> replica.sampler.sample(9L, 1, "cat"));
            assertEquals(List.of("ship", "no-ship"), unknown.labels());
            replica.activeModel.current().orElseThrow().release();
        }
    }

    @Test
    void neverMergesRequestsForDifferentVersions() throws Exception {
        DynamicBatcher batcher = new DynamicBatcher(parts.runner, true, 64, Duration.ofMillis(5), 1);
        try {
            List<float[]> outputs = runConcurrently(CALLERS, caller -> batcher.runGenerator(
                    caller % 2 == 0 ? first : second, Latents.forRequest(seedOf(caller), 1, 100), null, 1));

            for (int caller = 0; caller < CALLERS; caller++) {
                LoadedModel model = caller % 2 == 0 ? first : second;
                float[] alone = parts.runner.runGenerator(model, Latents.forRequest(seedOf(caller), 1, 100), null,
                        1);
                assertArrayEquals(alone, outputs.get(caller), "caller " + caller + " on model " + model.version());
            }
            assertTrue(batcher.stats().batches() >= 2, "at least one run per version");
        } finally {
            batcher.stop();
        }
    }

    @Test
    void holdsNoBatchOpenForALoneCaller() {
        // A long maximum wait would show in every sequential request if a lone caller were held for company.
        DynamicBatcher batcher = new DynamicBatcher(parts.runner, true, 64, Duration.ofMillis(500), 2);
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                batcher.runGenerator(first, Latents.forRequest(i, 1, 100), null, 1);
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertTrue(elapsedMs < 2_500, "10 sequential requests took " + elapsedMs + " ms");
            assertEquals(10, batcher.stats().batches());
        } finally {
            batcher.stop();
        }
    }

    @Test
    void keepsBatchesWithinTheMaximumSize() throws Exception {
        DynamicBatcher batcher = new DynamicBatcher(parts.runner, true, 4, Duration.ofMillis(5), 1);
        try {
            runConcurrently(24, caller -> batcher.runGenerator(first, Latents.forRequest(caller, 1, 100), null, 1));

            DynamicBatcher.Stats stats = batcher.stats();
            assertTrue(stats.largestBatch() <= 4, stats.toString());
            assertTrue(stats.batches() >= 6, stats.toString());
        } finally {
            batcher.stop();
        }
    }

    @Test
    void runsEachRequestAloneWhenDisabled() {
        DynamicBatcher batcher = new DynamicBatcher(parts.runner, false, 64, Duration.ofMillis(2), 2);

        float[] output = batcher.runGenerator(first, Latents.forRequest(5L, 2, 100), null, 2);

        assertArrayEquals(parts.runner.runGenerator(first, Latents.forRequest(5L, 2, 100), null, 2), output);
        assertEquals(new DynamicBatcher.Stats(false, 64, Duration.ofMillis(2), 0, 1, 1, 2, 2), batcher.stats());
    }

    @Test
    void samplerThroughTheBatcherKeepsEachSeedsImages() throws Exception {
        try (GeneratorParts batched = new GeneratorParts(TestConfig.cpu());
             GeneratorParts unbatched = new GeneratorParts(TestConfig.cpu()
                     .withBatching(false, 64, Duration.ZERO, 1))) {
            byte[] onnx = GeneratorModels.dcgan(13).build();
            batched.activeModel.swapActiveModel(batched.validator.validateCandidate(
                    TestCheckpoints.metadata(1, onnx), onnx));
            unbatched.activeModel.swapActiveModel(unbatched.validator.validateCandidate(
                    TestCheckpoints.metadata(1, onnx), onnx));

            List<float[]> merged = runConcurrently(16, caller -> batched.sampler.sample(seedOf(caller), 2).values());

            for (int caller = 0; caller < 16; caller++) {
                assertArrayEquals(unbatched.sampler.sample(seedOf(caller), 2).values(), merged.get(caller));
            }
            batched.activeModel.current().orElseThrow().release();
            unbatched.activeModel.current().orElseThrow().release();
        }
    }

    /** Even callers draw label 0 (ship), odd ones label 1 (no-ship). */
    private static long[] labelRows(int caller, int count) {
        long[] rows = new long[count];
        Arrays.fill(rows, caller % 2);
        return rows;
    }

    private static long seedOf(int caller) {
        return 1_000L * caller - 7;
    }

    /** Runs the callers at once (released together) and returns their outputs in caller order. */
    private static List<float[]> runConcurrently(int callers, Caller work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch ready = new CountDownLatch(callers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int caller = 0; caller < callers; caller++) {
                int id = caller;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return work.call(id);
                }));
            }
            ready.await();
            go.countDown();
            List<float[]> outputs = new ArrayList<>();
            for (Future<float[]> future : futures) {
                outputs.add(future.get(60, TimeUnit.SECONDS));
            }
            return outputs;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    interface Caller {
        float[] call(int caller) throws Exception;
    }
}
