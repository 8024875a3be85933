package io.shipgan.checkpoint;

/** A checkpoint record that must not be served; the message says why, in words fit for a log and an API. */
public class InvalidCheckpointException extends RuntimeException {

    public InvalidCheckpointException(String reason) {
        super(reason);
    }

    public InvalidCheckpointException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
