package io.shipgan.generator.sampling;

import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.GeneratorParts;
import io.shipgan.generator.testing.TestCheckpoints;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Swapping the active model under load, with real ONNX Runtime sessions. */
class ActiveModelSwapTest {

    private static final int SWAPS = 20;
    private static final int THREADS = 6;

    @Test
    void swapsUnderConcurrentRequestsWithoutFailuresAndClosesEveryOldSession() throws Exception {
        GeneratorParts parts = GeneratorParts.onCpu();
        // One set of weights is enough: each version still gets a session of its own to be closed.
        byte[] onnx = GeneratorModels.dcgan(1).build();
        List<LoadedModel> models = new ArrayList<>();
        for (long version = 1; version <= SWAPS + 1; version++) {
            models.add(parts.validator.validateCandidate(TestCheckpoints.metadata(version, onnx), onnx));
        }
        parts.activeModel.swapActiveModel(models.get(0));

        AtomicBoolean swapping = new AtomicBoolean(true);
        AtomicInteger requests = new AtomicInteger();
        Set<Long> versionsSeen = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> clients = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = t;
            clients.add(pool.submit(() -> {
                started.countDown();
                while (swapping.get()) {
                    try {
                        Samples samples = parts.sampler.sample(seed, 2);
                        versionsSeen.add(samples.version());
                        requests.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }));
        }
        started.await();

        for (int swap = 1; swap <= SWAPS; swap++) {
            Thread.sleep(15);
            parts.activeModel.swapActiveModel(models.get(swap));
        }
        Thread.sleep(15);
        swapping.set(false);
        for (Future<?> client : clients) {
            client.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertEquals(List.of(), failures);
        assertTrue(requests.get() > SWAPS, "requests ran during the swaps: " + requests.get());
        assertTrue(versionsSeen.size() > 1, "requests saw several versions: " + versionsSeen);
        for (LoadedModel old : models.subList(0, SWAPS)) {
            assertTrue(old.isClosed(), "model " + old.version() + " closed after its last request");
        }
        LoadedModel last = models.get(SWAPS);
        assertFalse(last.isClosed());
        assertEquals(SWAPS + 1, parts.activeModel.activeVersion());
        last.release();
    }

    @Test
    void aRequestInFlightFinishesOnTheModelItLeased() {
        GeneratorParts parts = GeneratorParts.onCpu();
        byte[] first = GeneratorModels.dense(1).build();
        byte[] second = GeneratorModels.dense(2).build();
        LoadedModel one = parts.validator.validateCandidate(TestCheckpoints.metadata(1, first), first);
        LoadedModel two = parts.validator.validateCandidate(TestCheckpoints.metadata(2, second), second);
        parts.activeModel.swapActiveModel(one);

        try (ModelLease lease = parts.activeModel.acquire().orElseThrow()) {
            parts.activeModel.swapActiveModel(two);

            assertFalse(one.isClosed(), "still leased");
            float[] output = parts.runner.runGenerator(lease.model(), Latents.forRequest(1L, 1, 100), null, 1);
            assertEquals(3 * 80 * 80, output.length);
        }

        assertTrue(one.isClosed(), "closed when the lease was returned");
        assertEquals(2, parts.sampler.sample(1L, 1).version());
        two.release();
    }

    @Test
    void aRetiredModelCannotBeLeasedAgain() {
        GeneratorParts parts = GeneratorParts.onCpu();
        byte[] onnx = GeneratorModels.dense(1).build();
        LoadedModel model = parts.validator.validateCandidate(TestCheckpoints.metadata(1, onnx), onnx);

        model.release();

        assertTrue(model.isClosed());
        assertFalse(model.tryRetain());
    }

    @Test
    void noLeaseBeforeTheFirstCheckpoint() {
        GeneratorParts parts = GeneratorParts.onCpu();
        assertTrue(parts.activeModel.acquire().isEmpty());
        NoActiveModelException e = assertThrows(NoActiveModelException.class, () -> parts.sampler.sample(1L, 1));
        assertEquals("no checkpoint has been loaded yet", e.getMessage());
    }
}
