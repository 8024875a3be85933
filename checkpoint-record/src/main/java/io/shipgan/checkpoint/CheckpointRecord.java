package io.shipgan.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checkpoint record on the Kafka topic: key = model name (UTF-8), value = the ONNX bytes, header
 * {@link #METADATA_HEADER} = {@link CheckpointMetadata} as JSON. The topic is compacted, so the newest record
 * per model name is always there for a generator that starts late.
 */
public final class CheckpointRecord {

    /** The topic checkpoints are published to unless configured otherwise. */
    public static final String DEFAULT_TOPIC = "shipgan.checkpoints";

    /** Header holding the metadata JSON. */
    public static final String METADATA_HEADER = "shipgan.checkpoint.metadata";

    /** Format version written by this code; readers refuse newer major formats. */
    public static final int FORMAT_VERSION = 1;

    /** Largest record the topic, producer and consumers are configured for (16 MiB). */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    /** ONNX input and output names fixed by the generator interface. */
    public static final String LATENT_INPUT = "latent";
    public static final String IMAGE_OUTPUT = "image";

    /**
     * Second input of a conditional model (one whose metadata names labels): int64 {@code [N]}, each value the
     * index of the wanted label in {@link CheckpointMetadata#labels()}. An unconditional model has no such input.
     */
    public static final String LABEL_INPUT = "label";

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private CheckpointRecord() {
    }

    public static byte[] encodeMetadata(CheckpointMetadata metadata) {
        try {
            return JSON.writeValueAsBytes(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode checkpoint metadata", e);
        }
    }

    /**
     * @throws InvalidCheckpointException when the bytes are not metadata JSON of a format this code reads
     */
    public static CheckpointMetadata decodeMetadata(byte[] json) {
        if (json == null || json.length == 0) {
            throw new InvalidCheckpointException("record has no " + METADATA_HEADER + " header");
        }
        CheckpointMetadata metadata;
        try {
            metadata = JSON.readValue(json, CheckpointMetadata.class);
        } catch (JsonProcessingException e) {
            throw new InvalidCheckpointException("metadata header is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidCheckpointException("metadata header cannot be read: " + e.getMessage());
        }
        if (metadata.formatVersion() < 1 || metadata.formatVersion() > FORMAT_VERSION) {
            throw new InvalidCheckpointException("unsupported metadata format " + metadata.formatVersion());
        }
        return metadata;
    }

    /** Lower-case hex SHA-256 of the given bytes. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The shared JSON mapper, configured for metadata (ISO-8601 instants, unknown fields ignored). */
    public static ObjectMapper json() {
        return JSON;
    }
}
