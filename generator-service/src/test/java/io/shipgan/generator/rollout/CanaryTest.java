package io.shipgan.generator.rollout;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.generator.checkpoint.CheckpointActivation.Outcome;
import io.shipgan.generator.checkpoint.CheckpointValidator;
import io.shipgan.generator.sampling.Latents;
import io.shipgan.generator.sampling.LoadedModel;
import io.shipgan.generator.sampling.OutputCheck;
import io.shipgan.generator.sampling.Samples;
import io.shipgan.generator.testing.Await;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.GeneratorParts;
import io.shipgan.generator.testing.TestCheckpoints;
import io.shipgan.generator.testing.TestConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Canary trials on the real ONNX Runtime: the share, promotion by health or time, drops, and operator actions. */
class CanaryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path cacheDir;

    private GeneratorParts replica;

    @AfterEach
    void stopReplica() {
        replica.activeModel.canary().ifPresent(canary -> canary.model().release());
        replica.activeModel.current().ifPresent(LoadedModel::release);
        replica.close();
    }

    @Test
    void aCanaryTakesItsShareAndIsPromotedWhenHealthy() {
        replica = new GeneratorParts(TestConfig.cpu().withCache(cacheDir, 3)
                .withCanary(0.5, Duration.ofSeconds(60), 6, 0.0));
        assertEquals(Outcome.ACTIVATED, replica.activation.offer(TestCheckpoints.goodCandidate(1, 1)),
                "the first version has nothing to be tried against");

        assertEquals(Outcome.CANARY, replica.activation.offer(TestCheckpoints.goodCandidate(2, 2)));
        List<Long> versions = new ArrayList<>();
        for (int request = 0; request < 12; request++) {
            versions.add(replica.sampler.sample(request, 1).version());
        }

        assertEquals(List.of(1L, 2L, 1L, 2L, 1L, 2L, 1L, 2L, 1L, 2L, 1L, 2L), versions, "every second request");
        awaitCondition("canary 2 promoted", () -> !replica.events.recent().isEmpty()
                && replica.events.recent().get(0).event() == RolloutEventType.PROMOTED);
        assertEquals(2, replica.activeModel.activeVersion());
        assertTrue(replica.activeModel.canary().isEmpty());
        assertEquals(VersionStatus.ACTIVE, replica.rollout.version(2).orElseThrow().status());
        assertEquals(VersionStatus.CACHED, replica.rollout.version(1).orElseThrow().status());
        RolloutEvent promoted = replica.events.recent().get(0);
        assertEquals(RolloutEventType.PROMOTED, promoted.event());
        assertEquals("served 6 requests, 0 failed", promoted.reason());
        RolloutEvent started = replica.events.recent().get(1);
        assertEquals(RolloutEventType.CANARY_STARTED, started.event());
        assertEquals("50% of requests for up to PT1M or 6 requests", started.reason());
    }

    @Test
    void requestsForALabelTheCanaryDoesNotDrawGoToTheActiveModelUncounted() {
        replica = new GeneratorParts(TestConfig.cpu().withCache(cacheDir, 3)
                .withCanary(1.0, Duration.ofSeconds(60), 50, 0.0));
        replica.activation.offer(TestCheckpoints.conditionalCandidate(1, 1));
        byte[] onnx = GeneratorModels.dcgan(2).conditional().build();
        assertEquals(Outcome.CANARY, replica.activation.offer(TestCheckpoints.candidate(
                TestCheckpoints.conditionalMetadata(2, onnx, List.of("ship")), onnx)));

        Samples noShip = replica.sampler.sample(4L, 1, "no-ship");
        Samples ship = replica.sampler.sample(4L, 1, "ship");

        assertEquals(1, noShip.version(), "only the active model draws no-ship");
        assertEquals("no-ship", noShip.label());
        assertEquals(2, ship.version(), "the canary takes every request it can draw");
        assertEquals(1, replica.activeModel.canary().orElseThrow().served(), "the no-ship request is not its own");
        assertEquals(0, replica.activeModel.canary().orElseThrow().failed());
    }

    @Test
    void aFailingCanaryIsDroppedAndItsRequestsAreAnsweredByTheActiveModel() {
        replica = new GeneratorParts(TestConfig.cpu().withCache(cacheDir, 3)
                .withCanary(0.5, Duration.ofSeconds(60), 50, 0.0));
        replica.activation.offer(TestCheckpoints.goodCandidate(1, 1));
        float threshold = probeFirstLatentMaximum();
        byte[] onnx = GeneratorModels.dcgan(2).nanWhenFirstLatentAbove(threshold).build();
        CheckpointMetadata metadata = TestCheckpoints.metadata(2, onnx);

        assertEquals(Outcome.CANARY, replica.activation.offer(TestCheckpoints.candidate(metadata, onnx)),
                "the probe's latents stay below the threshold, so validation passes");
        long seed = seedWithFirstLatentAbove(threshold);
        // Request 0 goes to the active model, request 1 to the canary, which fails it.
        List<Samples> answers = List.of(replica.sampler.sample(seed, 1), replica.sampler.sample(seed, 1));

        for (Samples answer : answers) {
            assertEquals(1, answer.version(), "users get the active model's images");
            assertNull(OutputCheck.findViolation(answer.values()));
        }
        // The verdict runs on the rollout's timer; deleting the cached copy is its last step.
        awaitCondition("canary 2 dropped", () -> replica.activeModel.canary().isEmpty()
                && replica.rollout.version(2).orElseThrow().status() == VersionStatus.REJECTED
                && !replica.cache.contains(2));
        VersionRecord dropped = replica.rollout.version(2).orElseThrow();
        assertEquals("canary failed 1 of 1 requests (100% > 0% allowed); last failure: canary 2 gave NaN at "
                + "value 0; images must be finite", dropped.reason());
        assertEquals(1, replica.activeModel.activeVersion());
        assertEquals(RolloutEventType.DROPPED, replica.events.recent().get(0).event());
        assertFalse(replica.cache.contains(2), "a dropped canary leaves the cache");
        assertFalse(replica.rollout.shouldConsider(2), "and is never tried again");
    }

    @Test
    void aCanaryIsJudgedWhenItsDurationEnds() {
        replica = new GeneratorParts(TestConfig.cpu().withCanary(0.5, Duration.ofMillis(400), 1000, 0.0));
        replica.activation.offer(TestCheckpoints.goodCandidate(1, 1));
        replica.activation.offer(TestCheckpoints.goodCandidate(2, 2));
        for (int request = 0; request < 4; request++) {
            replica.sampler.sample(request, 1);
        }

        awaitCondition("canary 2 promoted after its duration", () -> lastEvent() == RolloutEventType.PROMOTED);
        assertEquals(2, replica.activeModel.activeVersion());
        assertEquals("served 2 requests, 0 failed", replica.events.recent().get(0).reason());

        replica.activation.offer(TestCheckpoints.goodCandidate(3, 3));
        awaitCondition("canary 3 promoted without traffic", () -> replica.activeModel.activeVersion() == 3
                && lastEvent() == RolloutEventType.PROMOTED);
        assertEquals("no requests during the trial; validation passed", replica.events.recent().get(0).reason());
    }

    @Test
    void aNewerCandidateSupersedesARunningCanary() {
        replica = new GeneratorParts(TestConfig.cpu().withCache(cacheDir, 3)
                .withCanary(0.5, Duration.ofSeconds(60), 100, 0.0));
        replica.activation.offer(TestCheckpoints.goodCandidate(1, 1));
        replica.activation.offer(TestCheckpoints.goodCandidate(2, 2));

        assertEquals(Outcome.CANARY, replica.activation.offer(TestCheckpoints.goodCandidate(3, 3)));

        assertEquals(3, replica.activeModel.canary().orElseThrow().model().version());
        assertEquals(VersionStatus.CACHED, replica.rollout.version(2).orElseThrow().status());
        RolloutEvent superseded = replica.events.recent().get(1);
        assertEquals(RolloutEventType.DROPPED, superseded.event());
        assertEquals(2L, superseded.version());
        assertEquals("superseded by canary 3", superseded.reason());
    }

    @Test
    void aRollbackDuringATrialDropsTheCanary() {
        replica = new GeneratorParts(TestConfig.cpu().withCache(cacheDir, 3)
                .withCanary(0.5, Duration.ofSeconds(60), 100, 0.0));
        replica.activation.offer(TestCheckpoints.goodCandidate(1, 1));
        replica.activation.offer(TestCheckpoints.goodCandidate(2, 2));

        replica.rollout.rollBack("too dark");

        assertTrue(replica.activeModel.canary().isEmpty());
        assertEquals(1, replica.activeModel.activeVersion());
        assertEquals("rolled back by operator: too dark", replica.rollout.version(2).orElseThrow().reason());
        assertEquals(RolloutEventType.ROLLED_BACK, replica.events.recent().get(0).event());
    }

    @Test
    void pinningTheCanaryPromotesAndPinsIt() {
        replica = new GeneratorParts(TestConfig.cpu().withCanary(0.5, Duration.ofSeconds(60), 100, 0.0));
        replica.activation.offer(TestCheckpoints.goodCandidate(1, 1));
        replica.activation.offer(TestCheckpoints.goodCandidate(2, 2));

        replica.rollout.pinVersion(2);

        assertTrue(replica.activeModel.canary().isEmpty());
        assertEquals(2, replica.activeModel.activeVersion());
        assertEquals(2L, replica.rollout.pinnedVersion());
        assertEquals(Outcome.HELD, replica.activation.offer(TestCheckpoints.goodCandidate(3, 3)));
    }

    private RolloutEventType lastEvent() {
        List<RolloutEvent> events = replica.events.recent();
        return events.isEmpty() ? null : events.get(0).event();
    }

    /** The largest first latent value of the validator's probe: a NaN threshold at it lets the probe pass. */
    private static float probeFirstLatentMaximum() {
        float max = Float.NEGATIVE_INFINITY;
        for (int sample = 0; sample < CheckpointValidator.PROBE_SAMPLES; sample++) {
            max = Math.max(max, Latents.forSample(CheckpointValidator.PROBE_SEED, sample, 100)[0]);
        }
        return max;
    }

    private static long seedWithFirstLatentAbove(float threshold) {
        for (long seed = 0; seed < 100_000; seed++) {
            if (Latents.forSample(seed, 0, 100)[0] > threshold + 0.01f) {
                return seed;
            }
        }
        throw new AssertionError("no seed with a first latent above " + threshold);
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        Await.until(what, WAIT, condition);
    }
}
