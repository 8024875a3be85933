package io.shipgan.generator.sampling;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One canary trial: a candidate model that takes an exact share of requests, and the tally of how they went.
 * Request {@code n} goes to the canary when {@code floor((n + 1) * share)} passes a whole number, so a share of
 * 0.25 takes every fourth request. When enough requests were served, or too many failed for the trial still to
 * pass, the verdict callback runs once; whoever started the trial decides there.
 */
public final class Canary {

    private final LoadedModel model;
    private final double share;
    private final long requestTarget;
    private final long allowedFailures;
    private final Instant startedAt;
    private final Instant endsAt;
    private final Consumer<Canary> verdictDue;
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean verdictAsked = new AtomicBoolean();
    private volatile String lastFailure;

    /**
     * @param model          the candidate; the trial owns the reference it is given
     * @param share          requests routed to it, in (0, 1]
     * @param requestTarget  requests after which it is judged
     * @param maxErrorRate   largest share of failed requests that still passes
     * @param startedAt      when the trial started
     * @param endsAt         when the trial ends at the latest
     * @param verdictDue     called once, on a request thread, when the trial should be judged before its end
     */
    public Canary(LoadedModel model, double share, long requestTarget, double maxErrorRate, Instant startedAt,
                  Instant endsAt, Consumer<Canary> verdictDue) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("canary share must be in (0, 1], was " + share);
        }
        this.model = model;
        this.share = share;
        this.requestTarget = Math.max(1, requestTarget);
        this.allowedFailures = (long) Math.floor(Math.max(0, maxErrorRate) * this.requestTarget);
        this.startedAt = startedAt;
        this.endsAt = endsAt;
        this.verdictDue = verdictDue;
    }

    public LoadedModel model() {
        return model;
    }

    public double share() {
        return share;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endsAt() {
        return endsAt;
    }

    public long requestTarget() {
        return requestTarget;
    }

    /** Requests the canary answered, successfully or not. */
    public long served() {
        return served.get();
    }

    public long failed() {
        return failed.get();
    }

    /** The latest failure's reason, or null. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Whether the next request goes to the canary; each call counts one request. */
    boolean takesNextRequest() {
        long n = routed.getAndIncrement();
        return Math.floor((n + 1) * share) > Math.floor(n * share);
    }

    /** Counts a canary request that gave good images. */
    public void recordSuccess() {
        if (served.incrementAndGet() >= requestTarget) {
            askForVerdict();
        }
    }

    /** Counts a canary request that failed; the caller answers it from the active model instead. */
    public void recordFailure(String reason) {
        lastFailure = reason;
        long failures = failed.incrementAndGet();
        long total = served.incrementAndGet();
        if (failures > allowedFailures || total >= requestTarget) {
            askForVerdict();
        }
    }

    /** Whether the trial, as far as it went, is healthy: failures within the allowed rate. */
    public boolean healthy(double maxErrorRate) {
        long total = served.get();
        return total == 0 || (double) failed.get() / total <= maxErrorRate;
    }

    private void askForVerdict() {
        if (verdictAsked.compareAndSet(false, true)) {
            verdictDue.accept(this);
        }
    }
}
