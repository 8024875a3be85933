package io.shipgan.generator.checkpoint;

import io.quarkus.logging.Log;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.InvalidCheckpointException;
import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.rollout.RejectionCause;
import io.shipgan.generator.rollout.Rollout;
import io.shipgan.generator.sampling.LoadedModel;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Takes checkpoint candidates one at a time, validates the new ones and hands those that pass to the rollout
 * policy: records of other model names are ignored, records the trainer did not sign (when signatures are
 * required) are rejected, versions older than the active one are rejected as rollback attempts, the active one and
 * versions met before are skipped (unless their bytes are not the ones their metadata describes), and a candidate
 * that fails validation is rejected while the active model keeps serving.
 */
@ApplicationScoped
public class CheckpointActivation {

    /** What became of one candidate. */
    public enum Outcome {
        /** It is the active model now. */
        ACTIVATED,
        /** It passed and serves a share of requests on trial. */
        CANARY,
        /** It passed and is kept on disk, but a pinned version serves. */
        HELD,
        /** It failed validation or the quality gate and never served. */
        REJECTED,
        /** The active version again, or a version met before: nothing to do. */
        SKIPPED,
        /** A record of another model name, or a tombstone. */
        IGNORED;

        /** Whether the candidate passed validation and the gate. */
        public boolean passed() {
            return this == ACTIVATED || this == CANARY || this == HELD;
        }
    }

    private final GeneratorConfig config;
    private final CheckpointValidator validator;
    private final Rollout rollout;
    private final CheckpointTrust trust;

    public CheckpointActivation(GeneratorConfig config, CheckpointValidator validator, Rollout rollout,
                                CheckpointTrust trust) {
        this.config = config;
        this.validator = validator;
        this.rollout = rollout;
        this.trust = trust;
    }

    /** Whether a record with this key concerns the model this replica serves. */
    public boolean servesKey(String key) {
        return config.modelName().equals(key);
    }

    /**
     * Offers the newest candidate first, then the next newest while one is rejected, and none of the older ones
     * once one passed: the way to start from a topic's history.
     *
     * @return the outcome of the one that passed, else of the last one tried; IGNORED when there were none
     */
    public synchronized Outcome activateNewest(Collection<CheckpointCandidate> candidates) {
        List<CheckpointCandidate> newestFirst = candidates.stream()
                .sorted(Comparator.comparingLong((CheckpointCandidate c) -> c.declaredVersion().orElse(Long.MIN_VALUE))
                        .reversed())
                .toList();
        Outcome last = Outcome.IGNORED;
        for (CheckpointCandidate candidate : newestFirst) {
            if (candidate.declaredVersion().stream().anyMatch(rollout::olderThanActive)) {
                // History older than what serves (e.g. restored from the cache) is no rollback attempt: passed by.
                continue;
            }
            last = offer(candidate);
            if (last.passed()) {
                return last;
            }
        }
        return last;
    }

    /** Handles one candidate: ignore, skip, reject it, or pass it on to the rollout policy. */
    public synchronized Outcome offer(CheckpointCandidate candidate) {
        if (!servesKey(candidate.key())) {
            Log.debugf("record %s has key %s, not %s: ignored", candidate.source(), candidate.key(),
                    config.modelName());
            return Outcome.IGNORED;
        }
        if (candidate.onnx() == null) {
            // A compaction tombstone deletes the topic's copy; the replica keeps what it serves.
            Log.debugf("tombstone for %s at %s ignored", candidate.key(), candidate.source());
            return Outcome.IGNORED;
        }

        CheckpointMetadata metadata;
        try {
            metadata = CheckpointRecord.decodeMetadata(candidate.metadataHeader());
        } catch (InvalidCheckpointException e) {
            rollout.rejectRecord(null, candidate.source(), RejectionCause.METADATA, e.getMessage());
            return Outcome.REJECTED;
        }
        try {
            trust.verifySignature(candidate);
        } catch (InvalidCheckpointException e) {
            // Listed by source, not under its version: an unsigned record's claims are not the trainer's.
            rollout.rejectRecord(null, candidate.source(), RejectionCause.SIGNATURE,
                    e.getMessage() + " (claims version " + metadata.version() + ")");
            return Outcome.REJECTED;
        }
        if (!candidate.key().equals(metadata.modelName())) {
            // Not listed under its version: that number belongs to another model's sequence.
            rollout.rejectRecord(metadata.version(), candidate.source(), RejectionCause.METADATA,
                    "metadata names model '" + metadata.modelName() + "' but the record key is '" + candidate.key()
                            + "'");
            return Outcome.REJECTED;
        }

        if (rollout.olderThanActive(metadata.version())) {
            // A trainer's versions only grow, so an older one arriving is a replayed or stale record; serving it
            // would be a rollback, which is an operator's pin or rollback, never the topic's.
            rollout.rejectOlderVersion(metadata.version(), candidate.source());
            return Outcome.REJECTED;
        }
        if (!rollout.shouldConsider(metadata.version())) {
            return skipKnownVersion(metadata, candidate);
        }
        return validateCandidate(metadata, candidate);
    }

    /**
     * Skips a version met before, unless its bytes are not the ones its metadata vouches for: a known version's
     * signed metadata replayed onto other bytes is a forgery, not a duplicate.
     */
    private Outcome skipKnownVersion(CheckpointMetadata metadata, CheckpointCandidate candidate) {
        try {
            CheckpointValidator.verifyDigest(metadata, candidate.onnx());
        } catch (InvalidCheckpointException e) {
            rollout.rejectRecord(metadata.version(), candidate.source(), RejectionCause.VALIDATION,
                    e.getMessage() + "; version " + metadata.version() + " was met before");
            return Outcome.REJECTED;
        }
        Log.debugf("checkpoint %d at %s skipped: the active version again, or met before", metadata.version(),
                candidate.source());
        return Outcome.SKIPPED;
    }

    private Outcome validateCandidate(CheckpointMetadata metadata, CheckpointCandidate candidate) {
        rollout.beginCandidate(metadata);
        LoadedModel model;
        try {
            model = validator.validateCandidate(metadata, candidate.onnx());
        } catch (InvalidCheckpointException e) {
            rollout.rejectCandidate(metadata, RejectionCause.VALIDATION, e.getMessage());
            return Outcome.REJECTED;
        } catch (RuntimeException e) {
            // A candidate that breaks the validator itself is no more fit to serve than one that fails it.
            Log.errorf(e, "validating checkpoint %d failed unexpectedly", metadata.version());
            rollout.rejectCandidate(metadata, RejectionCause.VALIDATOR_ERROR,
                    "validation failed: " + e.getClass().getSimpleName());
            return Outcome.REJECTED;
        }
        return rollout.admitCandidate(model, candidate.onnx());
    }
}
