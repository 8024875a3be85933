package io.shipgan.generator.rollout;

/** An admin operation that the rollout's current state does not allow (answered 409). */
public class RolloutConflictException extends RuntimeException {

    public RolloutConflictException(String detail) {
        super(detail);
    }
}
