package io.shipgan.generator.rest;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.generator.checkpoint.RejectedCheckpoint;
import io.shipgan.generator.rollout.VersionRecord;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the models API shows: which model this replica serves and how, every version it knows with its status,
 * the rollout policy, counters, and recent rejections.
 *
 * @param modelName the record key this replica follows
 * @param replica   this replica's id, as in its rollout events
 * @param device    the configured device and the one in use
 * @param policy    how versions roll out
 * @param active    the active model, or null before the first checkpoint is activated
 * @param canary    the running canary trial, or null
 * @param versions  every version this replica knows, newest first
 * @param counters  how often each rollout event happened since start
 * @param batching  dynamic batching settings and what it did
 * @param cache     the local model cache
 * @param rejected  recent rejections, newest first (failed validation or gate, dropped canaries, rollbacks)
 */
public record ModelsView(String modelName, String replica, Device device, Policy policy, Active active,
                         Canary canary, List<VersionRecord> versions, Map<String, Long> counters,
                         Batching batching, Cache cache, List<RejectedCheckpoint> rejected) {

    /**
     * @param version     the active checkpoint's version
     * @param device      {@code cuda:0} or {@code cpu}
     * @param activatedAt when it became active on this replica
     * @param labels      the labels it draws, the default first; empty when it is unconditional
     * @param metadata    the checkpoint's metadata as the trainer published it
     */
    public record Active(long version, String device, Instant activatedAt, List<String> labels,
                         CheckpointMetadata metadata) {
    }

    /**
     * @param configured      {@code auto}, {@code cuda} or {@code cpu}, as configured
     * @param active          where the active model runs ({@code cuda:0} or {@code cpu}); null without one
     * @param cudaUnavailable why the CUDA provider could not be used, when it was tried and failed
     */
    public record Device(String configured, String active, String cudaUnavailable) {
    }

    /**
     * @param mode          {@code follow-latest} or {@code pinned}
     * @param pinnedVersion the pinned version, or null
     * @param gate          the quality gate
     * @param canary        the canary settings
     */
    public record Policy(String mode, Long pinnedVersion, Gate gate, CanarySettings canary) {
    }

    /**
     * @param enabled whether the gate applies
     * @param rules   its rules, {@code name:direction:margin}
     */
    public record Gate(boolean enabled, List<String> rules) {
    }

    /**
     * @param enabled      whether new versions start as canaries
     * @param share        share of requests a canary takes
     * @param duration     longest trial, ISO-8601 (e.g. {@code PT1M})
     * @param requests     requests after which a canary is judged
     * @param maxErrorRate largest failed share that still promotes
     */
    public record CanarySettings(boolean enabled, double share, String duration, int requests,
                                 double maxErrorRate) {
    }

    /**
     * @param version       the canary's version
     * @param labels        the labels it draws; requests for others go to the active model
     * @param share         share of requests it takes
     * @param startedAt     when the trial started
     * @param endsAt        when it ends at the latest
     * @param requestTarget requests after which it is judged
     * @param served        requests it answered so far
     * @param failed        of which failed (answered by the active model instead)
     * @param lastFailure   the latest failure's reason, or null
     */
    public record Canary(long version, List<String> labels, double share, Instant startedAt, Instant endsAt,
                         long requestTarget, long served, long failed, String lastFailure) {
    }

    /**
     * @param enabled              whether concurrent requests are merged
     * @param maxBatchSize         most samples in one run
     * @param maxWait              longest a batch is held open under load, ISO-8601
     * @param runners              threads running batches
     * @param batches              ONNX Runtime runs for requests so far
     * @param requests             requests answered so far
     * @param samples              samples computed so far
     * @param largestBatch         most samples in one run so far
     * @param meanRequestsPerBatch requests merged per run on average
     */
    public record Batching(boolean enabled, int maxBatchSize, String maxWait, int runners, long batches,
                           long requests, long samples, long largestBatch, double meanRequestsPerBatch) {
    }

    /**
     * @param enabled whether good versions are kept on disk
     * @param dir     the cache folder
     * @param keep    how many good versions are kept besides those in service
     */
    public record Cache(boolean enabled, String dir, int keep) {
    }
}
