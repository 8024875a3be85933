package io.shipgan.generator.testing;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.generator.checkpoint.CheckpointCandidate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Checkpoint metadata and candidates as the trainer would publish them, for feeding ONNX models to tests. */
public final class TestCheckpoints {

    public static final String MODEL_NAME = "shipgan-dcgan";

    /** The labels of a conditional ShipsNet model, in the order of their indices. */
    public static final List<String> SHIP_LABELS = List.of("ship", "no-ship");

    private TestCheckpoints() {
    }

    /** Metadata that truthfully describes {@code onnx} as checkpoint {@code version} of {@link #MODEL_NAME}. */
    public static CheckpointMetadata metadata(long version, byte[] onnx) {
        return metadata(version, onnx, CheckpointRecord.sha256Hex(onnx), List.of(3, 80, 80));
    }

    public static CheckpointMetadata metadata(long version, byte[] onnx, String sha256, List<Integer> outputShape) {
        return metadata(MODEL_NAME, version, onnx, sha256, outputShape, Map.of(), List.of());
    }

    /** True metadata of a conditional model drawing {@code labels}. */
    public static CheckpointMetadata conditionalMetadata(long version, byte[] onnx, List<String> labels) {
        return metadata(MODEL_NAME, version, onnx, CheckpointRecord.sha256Hex(onnx), List.of(3, 80, 80), Map.of(),
                labels);
    }

    /** True metadata carrying quality scores, e.g. {@code fd_ship} and {@code ship_rate}. */
    public static CheckpointMetadata metadataWithScores(long version, byte[] onnx, Map<String, Double> scores) {
        return metadata(MODEL_NAME, version, onnx, CheckpointRecord.sha256Hex(onnx), List.of(3, 80, 80), scores,
                List.of());
    }

    /** Metadata naming another model, with a true digest. */
    public static CheckpointMetadata metadataOfModel(String modelName, long version, byte[] onnx) {
        return metadata(modelName, version, onnx, CheckpointRecord.sha256Hex(onnx), List.of(3, 80, 80), Map.of(),
                List.of());
    }

    private static CheckpointMetadata metadata(String modelName, long version, byte[] onnx, String sha256,
                                               List<Integer> outputShape, Map<String, Double> scores,
                                               List<String> labels) {
        return new CheckpointMetadata(CheckpointRecord.FORMAT_VERSION, modelName, version, sha256, onnx.length,
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version), version * 100, (int) version / 10,
                GeneratorModels.LATENT_SIZE, labels, CheckpointRecord.LATENT_INPUT,
                CheckpointRecord.IMAGE_OUTPUT, outputShape, Map.of("generator", 1.5, "discriminator", 0.7),
                scores, 42L);
    }

    /** A candidate as read from the topic, keyed {@link #MODEL_NAME}. */
    public static CheckpointCandidate candidate(CheckpointMetadata metadata, byte[] onnx) {
        return new CheckpointCandidate(MODEL_NAME, CheckpointRecord.encodeMetadata(metadata), null, onnx,
                "test@" + metadata.version());
    }

    /** A good candidate with quality scores. */
    public static CheckpointCandidate scoredCandidate(long version, long weightSeed, Map<String, Double> scores) {
        byte[] onnx = GeneratorModels.dcgan(weightSeed).build();
        return candidate(metadataWithScores(version, onnx, scores), onnx);
    }

    /** A good conditional candidate drawing {@link #SHIP_LABELS}. */
    public static CheckpointCandidate conditionalCandidate(long version, long weightSeed) {
        byte[] onnx = GeneratorModels.dcgan(weightSeed).conditional().build();
        return candidate(conditionalMetadata(version, onnx, SHIP_LABELS), onnx);
    }

    /** A good candidate: the DCGAN-shaped test generator with weights from {@code weightSeed}. */
    public static CheckpointCandidate goodCandidate(long version, long weightSeed) {
        byte[] onnx = GeneratorModels.dcgan(weightSeed).build();
        return candidate(metadata(version, onnx), onnx);
    }
}
