package io.shipgan.generator.checkpoint;

import java.time.Duration;

/** Waits that double after each failure up to a ceiling, and start over after a success. */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;
    private int failures;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max.compareTo(initial) < 0 ? initial : max;
        this.next = initial;
    }

    /** The wait before the next attempt; each call doubles the one after, up to the ceiling. */
    Duration nextWait() {
        Duration wait = next;
        failures++;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return wait;
    }

    /** Failed attempts since the last success. */
    int failures() {
        return failures;
    }

    void reset() {
        next = initial;
        failures = 0;
    }
}
