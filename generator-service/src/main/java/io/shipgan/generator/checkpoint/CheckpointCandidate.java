package io.shipgan.generator.checkpoint;

import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.InvalidCheckpointException;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * One checkpoint record as read from the topic, before anything about it has been checked.
 *
 * @param key            the record key: the model name, or null when the record has none
 * @param metadataHeader  the metadata header's bytes, or null when the record has none
 * @param signatureHeader the signature header's bytes, or null when the record has none
 * @param onnx            the record value: the ONNX bytes, or null for a tombstone
 * @param source          where it came from, for logs (e.g. {@code shipgan.checkpoints-0@17})
 */
public record CheckpointCandidate(String key, byte[] metadataHeader, byte[] signatureHeader, byte[] onnx,
                                  String source) {

    /** Builds a candidate from raw record parts; the key is UTF-8 as the record format says. */
    public static CheckpointCandidate fromRecord(byte[] key, byte[] metadataHeader, byte[] signatureHeader,
                                                 byte[] onnx, String source) {
        return new CheckpointCandidate(key == null ? null : new String(key, StandardCharsets.UTF_8),
                metadataHeader, signatureHeader, onnx, source);
    }

    /** The version its metadata claims, for ordering candidates; empty when the metadata cannot be read. */
    public OptionalLong declaredVersion() {
        try {
            return OptionalLong.of(CheckpointRecord.decodeMetadata(metadataHeader).version());
        } catch (InvalidCheckpointException e) {
            return OptionalLong.empty();
        }
    }
}
