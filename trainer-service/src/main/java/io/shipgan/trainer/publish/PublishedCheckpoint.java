package io.shipgan.trainer.publish;

import io.shipgan.checkpoint.CheckpointMetadata;

import java.nio.file.Path;

/**
 * One exported checkpoint and what became of it.
 *
 * @param metadata  what was (or would have been) published with it
 * @param file      where its ONNX bytes are kept in the state folder
 * @param published whether the broker acknowledged the record
 */
public record PublishedCheckpoint(CheckpointMetadata metadata, Path file, boolean published) {
}
