package io.shipgan.generator.sampling;

import java.util.concurrent.atomic.AtomicBoolean;

/** One request's hold on a model: the model's session stays open until the lease is closed. */
public final class ModelLease implements AutoCloseable {

    private final LoadedModel model;
    private final AtomicBoolean released = new AtomicBoolean();

    ModelLease(LoadedModel model) {
        this.model = model;
    }

    public LoadedModel model() {
        return model;
    }

    /** Releases the hold; a second close does nothing, so a double close cannot close someone else's session. */
    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            model.release();
        }
    }
}
