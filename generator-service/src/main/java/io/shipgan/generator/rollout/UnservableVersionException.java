package io.shipgan.generator.rollout;

/** A version asked for by an operator failed validation when loaded from the cache (answered 422). */
public class UnservableVersionException extends RuntimeException {

    public UnservableVersionException(String detail) {
        super(detail);
    }
}
