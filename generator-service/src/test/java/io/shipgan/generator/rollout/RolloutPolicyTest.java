package io.shipgan.generator.rollout;

import io.shipgan.generator.checkpoint.CheckpointActivation.Outcome;
import io.shipgan.generator.sampling.LoadedModel;
import io.shipgan.generator.testing.GeneratorParts;
import io.shipgan.generator.testing.TestCheckpoints;
import io.shipgan.generator.testing.TestConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rollout policy with the real validator, ONNX Runtime and a model cache on disk: the gate, pin, unpin,
 * rollback, the cache's bounds, and restarts that serve from the cache before any topic is read.
 */
class RolloutPolicyTest {

    @TempDir
    Path cacheDir;

    private final List<GeneratorParts> started = new ArrayList<>();

    @AfterEach
    void stopReplicas() {
        for (GeneratorParts parts : started) {
            parts.activeModel.current().ifPresent(LoadedModel::release);
            parts.close();
        }
    }

    @Test
    void rejectsACheckpointThatFailsTheGateWhileTheActiveModelServes() {
        GeneratorParts replica = startReplica();
        assertEquals(Outcome.ACTIVATED, offer(replica, 1, Map.of("fd_ship", 40.0, "ship_rate", 0.8)));

        assertEquals(Outcome.REJECTED, offer(replica, 2, Map.of("fd_ship", 60.0, "ship_rate", 0.8)));

        assertEquals(1, replica.sampler.sample(3L, 1).version());
        VersionRecord rejected = replica.rollout.version(2).orElseThrow();
        assertEquals(VersionStatus.REJECTED, rejected.status());
        assertEquals("quality gate: fd_ship 60 is worse than active model 1's 40 by more than 10% (lower is "
                + "better; limit 44)", rejected.reason());
        assertEquals(1, replica.rollout.counters().count(RolloutEventType.REJECTED));
        assertEquals(1, replica.rollout.counters().rejectedByGate());
        RolloutEvent event = replica.events.recent().get(0);
        assertEquals(new RolloutEvent("test-replica", TestCheckpoints.MODEL_NAME, 2L, RolloutEventType.REJECTED,
                rejected.reason(), event.at()), event);
        assertFalse(replica.cache.contains(2), "a rejected checkpoint is not cached");
        assertEquals(2L, replica.rejections.recent().get(0).version());
    }

    @Test
    void passesACheckpointWithinTheMarginAndOneWithoutScores() {
        GeneratorParts replica = startReplica();
        offer(replica, 1, Map.of("fd_ship", 40.0));

        assertEquals(Outcome.ACTIVATED, offer(replica, 2, Map.of("fd_ship", 43.0)));
        assertEquals(Outcome.ACTIVATED, offer(replica, 3, Map.of()));
    }

    @Test
    void cachesPassingVersionsAndKeepsOnlyTheNewestGoodOnes() {
        GeneratorParts replica = startReplica();
        for (long version = 1; version <= 5; version++) {
            offer(replica, version, Map.of());
        }

        assertEquals(List.of(5L, 4L, 3L), replica.cache.cachedVersions());
        assertEquals(List.of(VersionStatus.ACTIVE, VersionStatus.CACHED, VersionStatus.CACHED,
                VersionStatus.RETIRED, VersionStatus.RETIRED), statuses(replica));
    }

    @Test
    void aPinnedVersionServesWhileNewerPassingVersionsAreKeptOnDisk() {
        GeneratorParts replica = startReplica();
        offer(replica, 1, Map.of());
        offer(replica, 2, Map.of());

        replica.rollout.pinVersion(1);
        Outcome third = offer(replica, 3, Map.of());

        assertEquals(Outcome.HELD, third);
        assertEquals(1L, replica.rollout.pinnedVersion());
        assertEquals(1, replica.sampler.sample(3L, 1).version());
        assertEquals(VersionStatus.CACHED, replica.rollout.version(3).orElseThrow().status());
        assertTrue(replica.cache.contains(3));
        assertEquals(List.of(RolloutEventType.PINNED, RolloutEventType.ACTIVATED), eventTypes(replica, 2));
    }

    @Test
    void unpinningServesTheNewestPassingVersion() {
        GeneratorParts replica = startReplica();
        offer(replica, 1, Map.of());
        replica.rollout.pinVersion(1);
        offer(replica, 2, Map.of());
        offer(replica, 3, Map.of());

        replica.rollout.unpinVersion();

        assertNull(replica.rollout.pinnedVersion());
        assertEquals(3, replica.sampler.sample(1L, 1).version());
        assertEquals(List.of(RolloutEventType.ACTIVATED, RolloutEventType.UNPINNED), eventTypes(replica, 2));
        RolloutConflictException again = assertThrows(RolloutConflictException.class,
                () -> replica.rollout.unpinVersion());
        assertEquals("no version is pinned", again.getMessage());
    }

    @Test
    void rollbackServesThePreviousGoodVersionAndNeverReturnsToTheWithdrawnOne() {
        GeneratorParts replica = startReplica();
        for (long version = 1; version <= 3; version++) {
            offer(replica, version, Map.of());
        }

        replica.rollout.rollBack("washed-out colours");

        assertEquals(2, replica.sampler.sample(1L, 1).version());
        VersionRecord withdrawn = replica.rollout.version(3).orElseThrow();
        assertEquals(VersionStatus.REJECTED, withdrawn.status());
        assertEquals("rolled back by operator: washed-out colours; version 2 serves instead", withdrawn.reason());
        assertFalse(replica.cache.contains(3), "a withdrawn version leaves the cache");
        assertEquals(List.of(RolloutEventType.ROLLED_BACK, RolloutEventType.ACTIVATED), eventTypes(replica, 2));
        assertEquals(Outcome.SKIPPED, offer(replica, 3, Map.of()), "the topic's copy is not taken up again");
        assertEquals(Outcome.ACTIVATED, offer(replica, 4, Map.of()), "newer versions roll out as usual");
    }

    @Test
    void refusesRollbackWithNothingEarlierOrWhilePinned() {
        GeneratorParts replica = startReplica();
        RolloutConflictException nothingActive = assertThrows(RolloutConflictException.class,
                () -> replica.rollout.rollBack(null));
        assertEquals("no model is active; there is nothing to roll back", nothingActive.getMessage());

        offer(replica, 1, Map.of());
        RolloutConflictException nothingEarlier = assertThrows(RolloutConflictException.class,
                () -> replica.rollout.rollBack(null));
        assertEquals("no earlier good version is kept on disk to roll back to from version 1",
                nothingEarlier.getMessage());

        offer(replica, 2, Map.of());
        replica.rollout.pinVersion(2);
        RolloutConflictException pinned = assertThrows(RolloutConflictException.class,
                () -> replica.rollout.rollBack(null));
        assertEquals("version 2 is pinned; pin another version, or unpin first", pinned.getMessage());
        assertEquals(2, replica.activeModel.activeVersion());
    }

    @Test
    void refusesToPinUnknownRejectedOrRetiredVersions() {
        GeneratorParts replica = startReplica(TestConfig.cpu().withCache(cacheDir, 2));
        offer(replica, 1, Map.of("fd_ship", 10.0));
        offer(replica, 2, Map.of("fd_ship", 10.0));
        offer(replica, 3, Map.of("fd_ship", 10.0));
        offer(replica, 4, Map.of("fd_ship", 99.0));

        assertEquals("version 9 is unknown to this replica",
                assertThrows(UnknownVersionException.class, () -> replica.rollout.pinVersion(9)).getMessage());
        assertTrue(assertThrows(RolloutConflictException.class, () -> replica.rollout.pinVersion(4)).getMessage()
                .startsWith("version 4 was rejected (quality gate: fd_ship 99 "));
        assertEquals("version 1 is no longer kept on disk; only the active, the canary and cached versions can be "
                + "pinned", assertThrows(RolloutConflictException.class,
                () -> replica.rollout.pinVersion(1)).getMessage());
        replica.rollout.pinVersion(2);
        assertEquals(2, replica.activeModel.activeVersion());
    }

    @Test
    void aRestartServesTheNewestCachedVersionBeforeAnyTopicIsRead() {
        GeneratorParts before = startReplica();
        for (long version = 1; version <= 3; version++) {
            offer(before, version, Map.of());
        }
        stop(before);

        GeneratorParts after = startReplica();
        after.rollout.restoreFromCache();

        assertEquals(3, after.sampler.sample(1L, 1).version());
        assertEquals(List.of(VersionStatus.ACTIVE, VersionStatus.CACHED, VersionStatus.CACHED), statuses(after));
        RolloutEvent restored = after.events.recent().get(0);
        assertEquals(RolloutEventType.ACTIVATED, restored.event());
        assertEquals("restored from the local cache", restored.reason());
        assertEquals(1L, after.rollout.counters().snapshot().get("restored-from-cache"));
        assertEquals(Outcome.SKIPPED, offer(after, 3, Map.of()), "the topic's newest is what the cache served");
        assertEquals(Outcome.ACTIVATED, offer(after, 4, Map.of()), "and catching up goes on from there");
    }

    @Test
    void aRestartKeepsThePinAndTheWithdrawnVersions() {
        GeneratorParts before = startReplica();
        for (long version = 1; version <= 4; version++) {
            offer(before, version, Map.of());
        }
        before.rollout.rollBack(null);
        before.rollout.pinVersion(2);
        stop(before);

        GeneratorParts after = startReplica();
        after.rollout.restoreFromCache();

        assertEquals(2, after.activeModel.activeVersion());
        assertEquals(2L, after.rollout.pinnedVersion());
        assertEquals(VersionStatus.REJECTED, after.rollout.version(4).orElseThrow().status());
        assertEquals(Outcome.SKIPPED, offer(after, 4, Map.of()));
        assertEquals(Outcome.HELD, offer(after, 5, Map.of()));
    }

    @Test
    void aRestartSkipsADamagedCachedCopyAndDeletesIt() throws Exception {
        GeneratorParts before = startReplica();
        offer(before, 1, Map.of());
        offer(before, 2, Map.of());
        stop(before);
        Path onnx = cacheDir.resolve("version-2/model.onnx");
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(onnx, bytes);

        GeneratorParts after = startReplica();
        after.rollout.restoreFromCache();

        assertEquals(1, after.activeModel.activeVersion());
        VersionRecord damaged = after.rollout.version(2).orElseThrow();
        assertEquals(VersionStatus.REJECTED, damaged.status());
        assertTrue(damaged.reason().startsWith("cached copy unusable: SHA-256 mismatch"), damaged.reason());
        assertFalse(Files.exists(cacheDir.resolve("version-2")));
    }

    @Test
    void aPinWhoseVersionLeftTheCacheIsLiftedAtRestart() throws Exception {
        GeneratorParts before = startReplica();
        offer(before, 1, Map.of());
        offer(before, 2, Map.of());
        before.rollout.pinVersion(1);
        stop(before);
        ModelCache cache = new ModelCache(true, cacheDir, 3);
        cache.evict(1);

        GeneratorParts after = startReplica();
        after.rollout.restoreFromCache();

        assertNull(after.rollout.pinnedVersion());
        assertEquals(2, after.activeModel.activeVersion());
        RolloutEvent lifted = after.events.recent().get(1);
        assertEquals(RolloutEventType.UNPINNED, lifted.event());
        assertTrue(lifted.reason().startsWith("pin lifted at start: it is not in the local cache"), lifted.reason());
    }

    private GeneratorParts startReplica() {
        return startReplica(TestConfig.cpu().withCache(cacheDir, 3));
    }

    private GeneratorParts startReplica(TestConfig config) {
        GeneratorParts parts = new GeneratorParts(config);
        started.add(parts);
        return parts;
    }

    private void stop(GeneratorParts parts) {
        started.remove(parts);
        parts.activeModel.current().ifPresent(LoadedModel::release);
        parts.close();
    }

    private static Outcome offer(GeneratorParts replica, long version, Map<String, Double> scores) {
        return replica.activation.offer(TestCheckpoints.scoredCandidate(version, 100 + version, scores));
    }

    private static List<VersionStatus> statuses(GeneratorParts replica) {
        return replica.rollout.versions().stream().map(VersionRecord::status).toList();
    }

    /** The newest {@code count} event types, newest first. */
    private static List<RolloutEventType> eventTypes(GeneratorParts replica, int count) {
        return replica.events.recent().stream().limit(count).map(RolloutEvent::event).toList();
    }
}
