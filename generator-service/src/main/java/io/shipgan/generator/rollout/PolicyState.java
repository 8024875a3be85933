package io.shipgan.generator.rollout;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;

/**
 * What a replica must remember about its rollout across a restart: the pinned version, and the versions an
 * operator or a canary trial took out of service, which must never serve again by themselves.
 *
 * @param pinnedVersion the pinned version, or null when following the latest
 * @param withdrawn     versions taken out of service, oldest first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PolicyState(Long pinnedVersion, List<Withdrawal> withdrawn) {

    public PolicyState {
        withdrawn = withdrawn == null ? List.of() : List.copyOf(withdrawn);
    }

    /** Following the latest version, nothing withdrawn. */
    public static PolicyState initial() {
        return new PolicyState(null, List.of());
    }

    /**
     * @param version the version taken out of service
     * @param reason  why: rolled back by an operator, or the canary trial's verdict
     * @param at      when
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Withdrawal(long version, String reason, Instant at) {
    }
}
