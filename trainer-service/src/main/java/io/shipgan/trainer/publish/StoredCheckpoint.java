package io.shipgan.trainer.publish;

import io.shipgan.checkpoint.CheckpointMetadata;

import java.nio.file.Path;

/**
 * One exported checkpoint, kept in the state folder and queued for the broker.
 *
 * @param metadata what is published with it
 * @param file     where its ONNX bytes are kept in the state folder
 */
public record StoredCheckpoint(CheckpointMetadata metadata, Path file) {
}
