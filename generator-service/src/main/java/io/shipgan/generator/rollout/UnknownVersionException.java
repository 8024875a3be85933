package io.shipgan.generator.rollout;

/** An admin operation named a version this replica has never met (answered 404). */
public class UnknownVersionException extends RuntimeException {

    public UnknownVersionException(long version) {
        super("version " + version + " is unknown to this replica");
    }
}
