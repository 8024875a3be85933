package io.shipgan.generator.rollout;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.TestCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCacheTest {

    private static final byte[] ONNX = GeneratorModels.dense(1).build();

    @TempDir
    Path dir;

    @Test
    void storesEachVersionInItsOwnCompleteFolder() throws Exception {
        ModelCache cache = new ModelCache(true, dir, 3);
        CheckpointMetadata metadata = TestCheckpoints.metadata(7, ONNX);

        cache.storeCheckpoint(metadata, ONNX);

        assertEquals(List.of(7L), cache.cachedVersions());
        assertArrayEquals(ONNX, Files.readAllBytes(dir.resolve("version-7/model.onnx")));
        assertEquals(Optional.of(metadata), cache.readMetadata(7));
        assertArrayEquals(ONNX, cache.readOnnx(7));
        try (var entries = Files.list(dir)) {
            assertEquals(List.of("version-7"), entries.map(p -> p.getFileName().toString()).toList(),
                    "no temporary files left");
        }
    }

    @Test
    void listsVersionsNewestFirstAndIgnoresForeignFolders() throws Exception {
        ModelCache cache = new ModelCache(true, dir, 3);
        for (long version : new long[] {3, 12, 5}) {
            cache.storeCheckpoint(TestCheckpoints.metadata(version, ONNX), ONNX);
        }
        Files.createDirectories(dir.resolve("version-notanumber"));
        Files.createDirectories(dir.resolve("something-else"));

        assertEquals(List.of(12L, 5L, 3L), cache.cachedVersions());
    }

    @Test
    void deletesWhatAnInterruptedWriteLeftBehind() throws Exception {
        Path debris = Files.createDirectories(dir.resolve(".tmp-9-12345"));
        Files.write(debris.resolve("model.onnx"), new byte[] {1, 2, 3});

        ModelCache cache = new ModelCache(true, dir, 3);

        assertFalse(Files.exists(debris));
        assertEquals(List.of(), cache.cachedVersions());
    }

    @Test
    void retainsOnlyTheVersionsAskedFor() throws Exception {
        ModelCache cache = new ModelCache(true, dir, 3);
        for (long version = 1; version <= 4; version++) {
            cache.storeCheckpoint(TestCheckpoints.metadata(version, ONNX), ONNX);
        }

        List<Long> evicted = cache.retainOnly(Set.of(2L, 4L));

        assertEquals(List.of(3L, 1L), evicted);
        assertEquals(List.of(4L, 2L), cache.cachedVersions());
        assertFalse(cache.contains(3));
    }

    @Test
    void treatsUnreadableMetadataAsAbsent() throws Exception {
        ModelCache cache = new ModelCache(true, dir, 3);
        cache.storeCheckpoint(TestCheckpoints.metadata(2, ONNX), ONNX);
        Files.writeString(dir.resolve("version-2/metadata.json"), "{broken");

        assertTrue(cache.readMetadata(2).isEmpty());
    }

    @Test
    void holdsNothingWhenDisabled() throws Exception {
        ModelCache cache = new ModelCache(false, dir.resolve("off"), 3);

        cache.storeCheckpoint(TestCheckpoints.metadata(1, ONNX), ONNX);

        assertFalse(Files.exists(dir.resolve("off")));
        assertEquals(List.of(), cache.cachedVersions());
    }

    @Test
    void replacesThePolicyFileAtomically() {
        PolicyStore store = new PolicyStore(dir);
        PolicyState pinned = new PolicyState(7L, List.of(new PolicyState.Withdrawal(9, "rolled back by operator",
                Instant.parse("2026-01-02T03:04:05Z"))));

        store.savePolicy(pinned);
        store.savePolicy(new PolicyState(8L, pinned.withdrawn()));

        assertEquals(new PolicyState(8L, pinned.withdrawn()), new PolicyStore(dir).loadPolicy());
        try (var entries = Files.list(dir)) {
            assertEquals(List.of("rollout-policy.json"), entries.map(p -> p.getFileName().toString()).toList());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
