package io.shipgan.generator.rollout;

import com.fasterxml.jackson.annotation.JsonValue;

/** What happened to a version on a replica, as named in rollout events. */
public enum RolloutEventType {
    /** It became the active model. */
    ACTIVATED("activated"),
    /** It failed validation or the quality gate and never served. */
    REJECTED("rejected"),
    /** It started serving a share of requests on trial. */
    CANARY_STARTED("canary-started"),
    /** Its canary trial passed: it is the active model now. */
    PROMOTED("promoted"),
    /** Its canary trial ended without promotion: failed, or superseded by a newer candidate or a pin. */
    DROPPED("dropped"),
    /** An operator pinned it: it serves until unpinned, whatever arrives. */
    PINNED("pinned"),
    /** An operator lifted its pin: the replica follows the latest passing version again. */
    UNPINNED("unpinned"),
    /** An operator rolled it back: it stopped serving and never serves again by itself. */
    ROLLED_BACK("rolled-back");

    private final String wireName;

    RolloutEventType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
