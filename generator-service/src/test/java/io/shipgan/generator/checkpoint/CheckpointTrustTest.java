package io.shipgan.generator.checkpoint;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.CheckpointSignature;
import io.shipgan.checkpoint.SigningKeys;
import io.shipgan.generator.checkpoint.CheckpointActivation.Outcome;
import io.shipgan.generator.sampling.ActiveModel;
import io.shipgan.generator.sampling.LoadedModel;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.GeneratorParts;
import io.shipgan.generator.testing.TestCheckpoints;
import io.shipgan.generator.testing.TestConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** With a trusted trainer key, only records signed by it serve; the real validator and ONNX Runtime are behind. */
class CheckpointTrustTest {

    private final KeyPair trainer = SigningKeys.generate();
    private ActiveModel activeModel;
    private GeneratorParts parts;
    private CheckpointActivation activation;

    @BeforeEach
    void wireParts() {
        activeModel = new ActiveModel();
        parts = new GeneratorParts(TestConfig.cpu(), activeModel);
        activation = new CheckpointActivation(parts.config, parts.validator, parts.rollout,
                new CheckpointTrust(Optional.of(trainer.getPublic())));
    }

    @AfterEach
    void releaseActiveModel() {
        activeModel.current().ifPresent(LoadedModel::release);
        parts.close();
    }

    @Test
    void activatesACheckpointSignedByTheTrainer() {
        assertEquals(Outcome.ACTIVATED, activation.offer(signed(1, trainer.getPrivate())));

        assertEquals(1, activeModel.current().orElseThrow().metadata().version());
    }

    @Test
    void rejectsAnUnsignedCheckpointAndKeepsServing() {
        activation.offer(signed(1, trainer.getPrivate()));

        assertEquals(Outcome.REJECTED, activation.offer(TestCheckpoints.goodCandidate(2, 2)));

        assertEquals(1, activeModel.current().orElseThrow().metadata().version());
        RejectedCheckpoint rejection = parts.rejections.recent().get(0);
        assertNull(rejection.version(), "an unsigned record's version claim is not listed as a version");
        assertEquals("record is not signed (no shipgan.checkpoint.signature header) (claims version 2)",
                rejection.reason());
    }

    @Test
    void rejectsACheckpointSignedByAnotherKey() {
        assertEquals(Outcome.REJECTED, activation.offer(signed(1, SigningKeys.generate().getPrivate())));

        assertEquals(Optional.empty(), activeModel.current());
        assertEquals("signature does not verify with the trusted trainer key (claims version 1)",
                parts.rejections.recent().get(0).reason());
    }

    @Test
    void rejectsMetadataChangedAfterSigning() {
        CheckpointCandidate original = signed(1, trainer.getPrivate());
        byte[] onnx = GeneratorModels.dcgan(9).build();
        CheckpointMetadata swapped = TestCheckpoints.metadata(1, onnx);
        // Another model's bytes and metadata under the original's signature.
        CheckpointCandidate tampered = new CheckpointCandidate(original.key(), CheckpointRecord.encodeMetadata(swapped),
                original.signatureHeader(), onnx, "test@tampered");

        assertEquals(Outcome.REJECTED, activation.offer(tampered));
        assertEquals(Optional.empty(), activeModel.current());
        assertEquals("signature does not verify with the trusted trainer key (claims version 1)",
                parts.rejections.recent().get(0).reason());
    }

    private static CheckpointCandidate signed(long version, PrivateKey key) {
        byte[] onnx = GeneratorModels.dcgan(version).build();
        byte[] metadata = CheckpointRecord.encodeMetadata(TestCheckpoints.metadata(version, onnx));
        return new CheckpointCandidate(TestCheckpoints.MODEL_NAME, metadata,
                CheckpointSignature.sign(key, TestCheckpoints.MODEL_NAME, metadata), onnx, "test@" + version);
    }
}
