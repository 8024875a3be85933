package io.shipgan.generator.checkpoint;

import io.quarkus.logging.Log;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.InvalidCheckpointException;
import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.sampling.ActiveModel;
import io.shipgan.generator.sampling.LoadedModel;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Takes checkpoint candidates one at a time and makes the good, newer ones the active model: records of other
 * model names are ignored, versions not newer than the active one skipped, and everything else validated;
 * a rejected candidate is logged and remembered, and the active model keeps serving.
 */
@ApplicationScoped
public class CheckpointActivation {

    /** What became of one candidate. */
    public enum Outcome {
        /** It is the active model now. */
        ACTIVATED,
        /** It failed validation and never served. */
        REJECTED,
        /** Not newer than the active model: nothing to do. */
        SKIPPED,
        /** A record of another model name, or a tombstone. */
        IGNORED
    }

    private final GeneratorConfig config;
    private final ActiveModel activeModel;
    private final CheckpointValidator validator;
    private final RejectionLog rejections;
    private final Clock clock = Clock.systemUTC();

    public CheckpointActivation(GeneratorConfig config, ActiveModel activeModel, CheckpointValidator validator,
                                RejectionLog rejections) {
        this.config = config;
        this.activeModel = activeModel;
        this.validator = validator;
        this.rejections = rejections;
    }

    /** Whether a record with this key concerns the model this replica serves. */
    public boolean servesKey(String key) {
        return config.modelName().equals(key);
    }

    /**
     * Activates the newest candidate that passes validation, trying the next newest when one is rejected, and
     * loading none of the older ones: the way to start from a topic's history.
     */
    public synchronized void activateNewest(Collection<CheckpointCandidate> candidates) {
        List<CheckpointCandidate> newestFirst = candidates.stream()
                .sorted(Comparator.comparingLong((CheckpointCandidate c) -> c.declaredVersion().orElse(Long.MIN_VALUE))
                        .reversed())
                .toList();
        for (CheckpointCandidate candidate : newestFirst) {
            if (offer(candidate) == Outcome.ACTIVATED) {
                return;
            }
        }
    }

    /** Handles one candidate: ignore, skip, reject or activate it. */
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
            rejectCandidate(null, candidate, e.getMessage());
            return Outcome.REJECTED;
        }
        if (!candidate.key().equals(metadata.modelName())) {
            rejectCandidate(metadata.version(), candidate, "metadata names model '" + metadata.modelName()
                    + "' but the record key is '" + candidate.key() + "'");
            return Outcome.REJECTED;
        }

        Long activeVersion = activeModel.activeVersion();
        if (metadata.version() <= activeVersion) {
            Log.debugf("checkpoint %s at %s skipped: model %s is active", Long.valueOf(metadata.version()),
                    candidate.source(), activeVersion);
            return Outcome.SKIPPED;
        }

        LoadedModel model;
        try {
            model = validator.validateCandidate(metadata, candidate.onnx());
        } catch (InvalidCheckpointException e) {
            rejectCandidate(metadata.version(), candidate, e.getMessage());
            return Outcome.REJECTED;
        } catch (RuntimeException e) {
            // A candidate that breaks the validator itself is no more fit to serve than one that fails it.
            Log.errorf(e, "validating checkpoint %d failed unexpectedly", metadata.version());
            rejectCandidate(metadata.version(), candidate, "validation failed: " + e.getClass().getSimpleName());
            return Outcome.REJECTED;
        }
        activeModel.swapActiveModel(model);
        return Outcome.ACTIVATED;
    }

    private void rejectCandidate(Long version, CheckpointCandidate candidate, String reason) {
        rejections.record(new RejectedCheckpoint(version, reason, Instant.now(clock)));
        String which = version == null ? "record " + candidate.source() : "checkpoint " + version;
        String serving = activeModel.current()
                .map(active -> "model " + active.version() + " keeps serving")
                .orElse("no model is serving yet");
        Log.warnf("%s rejected: %s; %s", which, reason, serving);
    }
}
