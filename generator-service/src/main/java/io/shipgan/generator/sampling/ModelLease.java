package io.shipgan.generator.sampling;

import java.util.concurrent.atomic.AtomicBoolean;

/** One request's hold on a model: the model's session stays open until the lease is closed. */
public final class ModelLease implements AutoCloseable {

    private final LoadedModel model;
    private final Canary canary;
    private final AtomicBoolean released = new AtomicBoolean();

    ModelLease(LoadedModel model, Canary canary) {
        this.model = model;
        this.canary = canary;
    }

    public LoadedModel model() {
        return model;
    }

    /** The canary trial this request was routed to, or null when it runs on the active model. */
    public Canary canary() {
        return canary;
    }

    /** Releases the hold; a second close does nothing, so a double close cannot close someone else's session. */
    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            model.release();
        }
    }
}
