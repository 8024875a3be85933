package io.shipgan.generator.sampling;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The slots holding the models this replica serves: the active model, and while a trial runs, a canary that
 * takes a share of requests. Requests lease the model they are routed to; a swap puts a new model in and drops
 * the slot's reference to the old one, which closes once its last lease is returned.
 */
@ApplicationScoped
public class ActiveModel {

    private final AtomicReference<LoadedModel> slot = new AtomicReference<>();
    private final AtomicReference<Canary> canarySlot = new AtomicReference<>();
    private final AtomicLong swaps = new AtomicLong();
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

    /** The running canary trial, if any. */
    public Optional<Canary> canary() {
        return Optional.ofNullable(canarySlot.get());
    }

    /** Version of the active model, or {@code Long.MIN_VALUE} when there is none yet. */
    public long activeVersion() {
        LoadedModel model = slot.get();
        return model == null ? Long.MIN_VALUE : model.version();
    }

    /** How many times a model was put into the active slot since start, the first activation included. */
    public long swaps() {
        return swaps.get();
    }

    /**
     * Leases the model for one request: the canary for its share of requests while a trial runs, the active
     * model otherwise. Empty when no checkpoint has been activated yet.
     */
    public Optional<ModelLease> acquire() {
        Canary canary = canarySlot.get();
        if (canary != null && canary.takesNextRequest() && canary.model().tryRetain()) {
            return Optional.of(new ModelLease(canary.model(), canary));
        }
        return acquireActive();
    }

    /** Leases the active model, never the canary: for answering a request the canary failed. */
    public Optional<ModelLease> acquireActive() {
        while (true) {
            LoadedModel model = slot.get();
            if (model == null) {
                return Optional.empty();
            }
            if (model.tryRetain()) {
                return Optional.of(new ModelLease(model, null));
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
        swaps.incrementAndGet();
        if (previous != null) {
            previous.release();
            Log.infof("model %d active on %s after %d ms load; model %d retires after its last request",
                    candidate.version(), candidate.device(), candidate.loadMillis(), previous.version());
        } else {
            Log.infof("model %d active on %s after %d ms load",
                    candidate.version(), candidate.device(), candidate.loadMillis());
        }
    }

    /**
     * Starts routing a share of requests to the trial's model; the slot takes over the trial's reference. A
     * trial already running is ended first and returned, its model still referenced for the caller to release.
     */
    public Optional<Canary> startCanary(Canary canary) {
        return Optional.ofNullable(canarySlot.getAndSet(canary));
    }

    /**
     * Ends the trial if it is still the running one; the caller gets its model's reference back. Requests that
     * already leased the canary finish on it.
     */
    public boolean endCanary(Canary canary) {
        return canarySlot.compareAndSet(canary, null);
    }

    void closeOnShutdown(@Observes ShutdownEvent event) {
        Canary canary = canarySlot.getAndSet(null);
        if (canary != null) {
            canary.model().release();
        }
        LoadedModel previous = slot.getAndSet(null);
        if (previous != null) {
            previous.release();
        }
    }
}
