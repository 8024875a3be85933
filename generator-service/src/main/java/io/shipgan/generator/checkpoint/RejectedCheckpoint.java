package io.shipgan.generator.checkpoint;

import java.time.Instant;

/**
 * A checkpoint that was refused and never served.
 *
 * @param version its version, or null when its metadata could not even be read
 * @param reason  why, in words fit for an operator
 * @param at      when it was refused
 */
public record RejectedCheckpoint(Long version, String reason, Instant at) {
}
