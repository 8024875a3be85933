package io.shipgan.trainer.model;

/** Where a training run is. */
public enum TrainingState {
    /** Not started (autostart is off). */
    IDLE,
    /** Reading chips, building the networks, finding the next checkpoint version. */
    LOADING,
    /** Taking training steps. */
    TRAINING,
    /** Ended: stopped on request, at max-steps, or at shutdown. */
    STOPPED,
    /** Ended by an error; the status says which. */
    FAILED
}
