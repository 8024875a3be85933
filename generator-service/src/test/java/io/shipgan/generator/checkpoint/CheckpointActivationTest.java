package io.shipgan.generator.checkpoint;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.generator.checkpoint.CheckpointActivation.Outcome;
import io.shipgan.generator.rollout.RejectionCause;
import io.shipgan.generator.sampling.ActiveModel;
import io.shipgan.generator.sampling.LoadedModel;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.GeneratorParts;
import io.shipgan.generator.testing.TestCheckpoints;
import io.shipgan.generator.testing.TestConfig;
import jakarta.enterprise.inject.Vetoed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which candidates become the active model, with the real validator and ONNX Runtime behind. */
class CheckpointActivationTest {

    private RecordingActiveModel activeModel;
    private GeneratorParts parts;

    @BeforeEach
    void wireParts() {
        activeModel = new RecordingActiveModel();
        parts = new GeneratorParts(TestConfig.cpu().withRejectionHistory(3), activeModel);
    }

    @AfterEach
    void releaseActiveModel() {
        activeModel.current().ifPresent(LoadedModel::release);
        parts.close();
    }

    @Test
    void activatesANewerCheckpoint() {
        assertEquals(Outcome.ACTIVATED, parts.activation.offer(TestCheckpoints.goodCandidate(1, 1)));
        assertEquals(Outcome.ACTIVATED, parts.activation.offer(TestCheckpoints.goodCandidate(2, 2)));

        assertEquals(2, activeModel.activeVersion());
        assertEquals(List.of(1L, 2L), activeModel.swapped);
    }

    @Test
    void skipsTheActiveVersionAgainWithoutListingIt() {
        parts.activation.offer(TestCheckpoints.goodCandidate(5, 1));

        assertEquals(Outcome.SKIPPED, parts.activation.offer(TestCheckpoints.goodCandidate(5, 2)));

        assertEquals(5, activeModel.activeVersion());
        assertEquals(List.of(), parts.rejections.recent(), "the active version again is no rejection");
    }

    @Test
    void rejectsAnOlderVersionAsARollbackAttemptAndKeepsServing() {
        CheckpointCandidate first = TestCheckpoints.goodCandidate(4, 1);
        parts.activation.offer(first);
        parts.activation.offer(TestCheckpoints.goodCandidate(5, 2));

        assertEquals(Outcome.REJECTED, parts.activation.offer(first), "the trainer's own record of 4, replayed");
        assertEquals(Outcome.REJECTED, parts.activation.offer(TestCheckpoints.goodCandidate(3, 3)), "never seen");

        assertEquals(5, activeModel.activeVersion());
        assertEquals(List.of(4L, 5L), activeModel.swapped);
        RejectedCheckpoint rejection = parts.rejections.recent().get(1);
        assertEquals(4L, rejection.version());
        assertEquals("version 4 is older than the active version 5; going back is an operator's pin or rollback, "
                + "not a record's", rejection.reason());
        assertEquals(2, parts.rollout.counters().rejections(RejectionCause.OLDER_VERSION));
    }

    @Test
    void rejectsTheActiveVersionsMetadataReplayedOntoOtherBytes() {
        CheckpointCandidate real = TestCheckpoints.goodCandidate(5, 1);
        parts.activation.offer(real);
        byte[] otherBytes = GeneratorModels.dcgan(2).build();
        CheckpointCandidate replayed = new CheckpointCandidate(real.key(), real.metadataHeader(),
                real.signatureHeader(), otherBytes, "test@replay");

        assertEquals(Outcome.REJECTED, parts.activation.offer(replayed));

        assertEquals(List.of(5L), activeModel.swapped);
        RejectedCheckpoint rejection = parts.rejections.recent().get(0);
        assertEquals(5L, rejection.version());
        assertTrue(rejection.reason().startsWith("SHA-256 mismatch"), rejection.reason());
        assertTrue(rejection.reason().endsWith("; version 5 was met before"), rejection.reason());
    }

    @Test
    void passesByHistoryOlderThanTheActiveVersionWhenCatchingUp() {
        parts.activation.offer(TestCheckpoints.goodCandidate(7, 7));

        Outcome outcome = parts.activation.activateNewest(List.of(
                TestCheckpoints.goodCandidate(5, 5), TestCheckpoints.goodCandidate(6, 6),
                TestCheckpoints.goodCandidate(7, 7)));

        assertEquals(Outcome.SKIPPED, outcome, "7 serves already; 6 and 5 are history, not rollback attempts");
        assertEquals(List.of(7L), activeModel.swapped);
        assertEquals(List.of(), parts.rejections.recent());
    }

    @Test
    void keepsServingTheOldModelWhenACandidateIsRejected() {
        parts.activation.offer(TestCheckpoints.goodCandidate(4, 1));
        LoadedModel serving = activeModel.current().orElseThrow();
        byte[] onnx = GeneratorModels.dcgan(2).build();
        CheckpointMetadata wrongDigest = TestCheckpoints.metadata(5, onnx, "9f".repeat(32), List.of(3, 80, 80));

        Outcome outcome = parts.activation.offer(TestCheckpoints.candidate(wrongDigest, onnx));

        assertEquals(Outcome.REJECTED, outcome);
        assertEquals(4, activeModel.activeVersion());
        assertTrue(!serving.isClosed(), "the old model's session stays open");
        RejectedCheckpoint rejection = parts.rejections.recent().get(0);
        assertEquals(5L, rejection.version());
        assertTrue(rejection.reason().startsWith("SHA-256 mismatch (expected 9f9f9f9f9f9f…, got "),
                rejection.reason());
        assertEquals(1, parts.sampler.sample(1L, 1).count(), "model 4 still samples");
    }

    @Test
    void rejectsARecordWithoutReadableMetadata() {
        byte[] onnx = GeneratorModels.dcgan(1).build();
        CheckpointCandidate candidate = new CheckpointCandidate(TestCheckpoints.MODEL_NAME,
                "{not json".getBytes(StandardCharsets.UTF_8), null, onnx, "shipgan.checkpoints-0@9");

        assertEquals(Outcome.REJECTED, parts.activation.offer(candidate));

        RejectedCheckpoint rejection = parts.rejections.recent().get(0);
        assertNull(rejection.version());
        assertTrue(rejection.reason().startsWith("metadata header is not valid JSON"), rejection.reason());
    }

    @Test
    void rejectsMetadataOfAnotherModelUnderThisKey() {
        byte[] onnx = GeneratorModels.dcgan(1).build();
        CheckpointMetadata renamed = TestCheckpoints.metadataOfModel("other-model", 1, onnx);

        assertEquals(Outcome.REJECTED, parts.activation.offer(TestCheckpoints.candidate(renamed, onnx)));
        RejectedCheckpoint rejection = parts.rejections.recent().get(0);
        assertEquals(1L, rejection.version());
        assertEquals("metadata names model 'other-model' but the record key is 'shipgan-dcgan'", rejection.reason());
    }

    @Test
    void ignoresRecordsOfOtherModelNamesAndTombstones() {
        byte[] onnx = GeneratorModels.dcgan(1).build();
        CheckpointCandidate otherKey = new CheckpointCandidate("shipgan-other",
                CheckpointRecord.encodeMetadata(TestCheckpoints.metadata(1, onnx)), null, onnx, "t@1");
        CheckpointCandidate tombstone = new CheckpointCandidate(TestCheckpoints.MODEL_NAME, null, null, null, "t@2");

        assertEquals(Outcome.IGNORED, parts.activation.offer(otherKey));
        assertEquals(Outcome.IGNORED, parts.activation.offer(tombstone));
        assertTrue(activeModel.current().isEmpty());
        assertEquals(List.of(), parts.rejections.recent());
    }

    @Test
    void activatesOnlyTheNewestValidCheckpointOfAHistory() {
        byte[] onnx = GeneratorModels.dcgan(9).build();
        CheckpointMetadata brokenNewest = TestCheckpoints.metadata(9, onnx, "00".repeat(32), List.of(3, 80, 80));
        List<CheckpointCandidate> history = List.of(
                TestCheckpoints.goodCandidate(6, 6),
                TestCheckpoints.goodCandidate(8, 8),
                TestCheckpoints.candidate(brokenNewest, onnx),
                TestCheckpoints.goodCandidate(7, 7));

        parts.activation.activateNewest(history);

        assertEquals(List.of(8L), activeModel.swapped, "9 is rejected, 8 activated, 7 and 6 never loaded");
        assertEquals(9L, parts.rejections.recent().get(0).version());
    }

    @Test
    void keepsOnlyTheMostRecentRejections() {
        for (long version = 1; version <= 5; version++) {
            byte[] onnx = GeneratorModels.dcgan(version).nanOutput().build();
            parts.activation.offer(TestCheckpoints.candidate(TestCheckpoints.metadata(version, onnx), onnx));
        }

        List<Long> versions = parts.rejections.recent().stream().map(RejectedCheckpoint::version).toList();
        assertEquals(List.of(5L, 4L, 3L), versions, "newest first, history of 3");
    }

    /** The real slot, remembering which versions were swapped in; vetoed so it never replaces the app's bean. */
    @Vetoed
    static final class RecordingActiveModel extends ActiveModel {
        final List<Long> swapped = new ArrayList<>();

        @Override
        public void swapActiveModel(LoadedModel candidate) {
            swapped.add(candidate.version());
            super.swapActiveModel(candidate);
        }
    }
}
