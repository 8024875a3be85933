package io.shipgan.generator.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.shipgan.checkpoint.CheckpointMetadata;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One version as the models API lists it.
 *
 * @param version   the checkpoint version
 * @param status    where it stands now
 * @param reason    why it was rejected; null otherwise
 * @param since     when it took this status
 * @param createdAt when the trainer exported it
 * @param step      training steps behind it
 * @param scores    its quality scores, empty when none were computed
 * @param labels    the labels it draws, empty when unconditional; null when only its number is known
 * @param sha256    SHA-256 of its ONNX bytes
 * @param onDisk    whether the local cache holds it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionRecord(long version, VersionStatus status, String reason, Instant since, Instant createdAt,
                            Long step, Map<String, Double> scores, List<String> labels, String sha256,
                            boolean onDisk) {

    /** A version known from its metadata. */
    static VersionRecord of(CheckpointMetadata metadata, VersionStatus status, String reason, Instant since,
                            boolean onDisk) {
        return new VersionRecord(metadata.version(), status, reason, since, metadata.createdAt(), metadata.step(),
                metadata.scores(), metadata.labels(), metadata.sha256(), onDisk);
    }

    /** A version known only by number, e.g. one withdrawn before the last restart whose files are gone. */
    static VersionRecord bare(long version, VersionStatus status, String reason, Instant since) {
        return new VersionRecord(version, status, reason, since, null, null, Map.of(), null, null, false);
    }

    VersionRecord withStatus(VersionStatus newStatus, String newReason, Instant at, boolean nowOnDisk) {
        return new VersionRecord(version, newStatus, newReason, at, createdAt, step, scores, labels, sha256,
                nowOnDisk);
    }
}
