package io.shipgan.generator.checkpoint;

/** Where the checkpoint follower is, as shown by the liveness check. */
public enum FollowerState {
    /** Following is switched off by configuration. */
    DISABLED,
    /** The thread is starting. */
    STARTING,
    /** The broker did not answer; retrying with backoff. */
    WAITING_FOR_BROKER,
    /** The broker answers but the topic does not exist yet. */
    WAITING_FOR_TOPIC,
    /** Reading the topic's history up to the end offsets captured at start. */
    CATCHING_UP,
    /** Handling new records as they arrive. */
    FOLLOWING,
    /** Shut down. */
    STOPPED
}
