package io.shipgan.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How the gateway talks to the generator replicas that Stork discovers (service {@code generator}): timeouts, how
 * many replicas one read may try, and each replica's circuit breaker.
 */
@ConfigMapping(prefix = "shipgan.gateway.routing")
public interface RoutingConfig {

    /** Longest wait for a TCP connection to one replica; a refused or slow connect moves a read on to the next. */
    @WithDefault("1s")
    Duration connectTimeout();

    /** Longest wait for one replica's answer; 64 samples on a loaded CPU take about a second. */
    @WithDefault("15s")
    Duration readTimeout();

    /** Longest wait for Stork to list the replicas. */
    @WithDefault("2s")
    Duration discoveryTimeout();

    /**
     * Most replicas one read (a GET) reaches over the network before it gives up; replicas whose breaker is open are
     * skipped without counting. Writes (pin, unpin, rollback) go to every replica once and are never retried.
     */
    @WithDefault("3")
    int maxAttempts();

    /** Each replica's own circuit breaker. */
    Breaker breaker();

    /** A breaker counts only failures to reach the replica (refused, reset, timed out), never an HTTP status. */
    interface Breaker {

        /** Calls in the rolling window the breaker judges. */
        @WithDefault("4")
        int requestVolume();

        /** Share of failed calls in the window that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open breaker keeps the replica out before one trial call may pass. */
        @WithDefault("5s")
        Duration delay();
    }
}
