package io.shipgan.generator.rollout;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;

/**
 * One rollout event, as published (JSON, keyed by model name) and listed by the models API.
 *
 * @param replica   which replica it happened on
 * @param modelName the model name (record key) it concerns
 * @param version   the version it concerns; null for a record whose metadata could not be read
 * @param event     what happened
 * @param reason    why, in words for operators; null where the event says it all
 * @param at        when
 */
@JsonPropertyOrder({"replica", "modelName", "version", "event", "reason", "at"})
public record RolloutEvent(String replica, String modelName, Long version, RolloutEventType event, String reason,
                           Instant at) {
}
