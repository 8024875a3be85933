package io.shipgan.generator.rollout;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where one version stands on this replica. */
public enum VersionStatus {
    /** Serving all requests (or all but the canary's share). */
    ACTIVE,
    /** Being validated now. */
    CANDIDATE,
    /** Serving a share of requests on trial. */
    CANARY,
    /** Never to serve by itself: failed validation or the gate, dropped as a canary, or rolled back. */
    REJECTED,
    /** Was good, but is neither serving nor kept on disk any more. */
    RETIRED,
    /** Good and kept on disk, not serving: ready to pin or roll back to. */
    CACHED;

    /** The name in JSON: lower case. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
