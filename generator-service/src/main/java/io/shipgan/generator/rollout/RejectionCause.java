package io.shipgan.generator.rollout;

/**
 * Why a checkpoint was refused, in a few fixed kinds: the detailed reason is free text for people, this is what
 * counters and metrics group by so that their number of series stays small.
 */
public enum RejectionCause {
    /** Its metadata header is missing or unreadable, or names another model than the record key. */
    METADATA("metadata"),
    /** The trainer's signature is missing or does not verify with the trusted key. */
    SIGNATURE("signature"),
    /**
     * Its version is older than the active one: a replayed or stale record. The trainer's versions only grow, and
     * going back is an operator's pin or rollback, never the topic's.
     */
    OLDER_VERSION("older-version"),
    /** It failed validation: SHA-256, input and output names or shapes, or the probe run. */
    VALIDATION("validation"),
    /** The validator itself broke on it. */
    VALIDATOR_ERROR("validator-error"),
    /** It passed validation but not the quality gate. */
    QUALITY_GATE("quality-gate"),
    /** Its copy in the local model cache can no longer serve. */
    CACHE("cache");

    private final String wireName;

    RejectionCause(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in metrics labels. */
    public String wireName() {
        return wireName;
    }
}
