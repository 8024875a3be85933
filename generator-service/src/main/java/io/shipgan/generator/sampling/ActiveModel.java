package io.shipgan.generator.sampling;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The slot holding the model this replica serves. Requests lease the model in the slot; a swap puts a new model
 * in and drops the slot's reference to the old one, which closes once its last lease is returned.
 */
@ApplicationScoped
public class ActiveModel {

    private final AtomicReference<LoadedModel> slot = new AtomicReference<>();
    private final Clock clock;

    public ActiveModel() {
        this(Clock.systemUTC());
    }

    ActiveModel(Clock clock) {
        this.clock = clock;
    }

    /** The active model, for reading its facts; not for running it (use {@link #acquire()}). */
    public Optional<LoadedModel> current() {
        return Optional.ofNullable(slot.get());
    }

    /** Version of the active model, or {@code Long.MIN_VALUE} when there is none yet. */
    public long activeVersion() {
        LoadedModel model = slot.get();
        return model == null ? Long.MIN_VALUE : model.version();
    }

    /** Leases the active model for one request; empty when no checkpoint has been activated yet. */
    public Optional<ModelLease> acquire() {
        while (true) {
            LoadedModel model = slot.get();
            if (model == null) {
                return Optional.empty();
            }
            if (model.tryRetain()) {
                return Optional.of(new ModelLease(model));
            }
            // Swapped out and closed between the read and the retain: the slot already holds its successor.
        }
    }

    /**
     * Makes {@code candidate} the active model. The slot takes over the candidate's own reference; the previous
     * model loses the slot's reference and closes when its in-flight requests are done.
     */
    public void swapActiveModel(LoadedModel candidate) {
        candidate.markActivated(clock.instant());
        LoadedModel previous = slot.getAndSet(candidate);
        if (previous != null) {
            previous.release();
            Log.infof("model %d active on %s after %d ms load; model %d retires after its last request",
                    candidate.version(), candidate.device(), candidate.loadMillis(), previous.version());
        } else {
            Log.infof("model %d active on %s after %d ms load",
                    candidate.version(), candidate.device(), candidate.loadMillis());
        }
    }

    void closeOnShutdown(@Observes ShutdownEvent event) {
        LoadedModel previous = slot.getAndSet(null);
        if (previous != null) {
            previous.release();
        }
    }
}
