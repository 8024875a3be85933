package io.shipgan.generator.rest;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.generator.checkpoint.RejectedCheckpoint;

import java.time.Instant;
import java.util.List;

/**
 * What the models API shows: the model name this replica serves, its active model and its recent rejections.
 *
 * @param modelName the record key this replica follows
 * @param active    the active model, or null before the first checkpoint is activated
 * @param rejected  recent rejections, newest first
 */
public record ModelsView(String modelName, Active active, List<RejectedCheckpoint> rejected) {

    /**
     * @param version     the active checkpoint's version
     * @param device      {@code cuda:0} or {@code cpu}
     * @param activatedAt when it became active on this replica
     * @param metadata    the checkpoint's metadata as the trainer published it
     */
    public record Active(long version, String device, Instant activatedAt, CheckpointMetadata metadata) {
    }
}
