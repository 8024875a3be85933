package io.shipgan.gateway.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Requests each API key may make: a token bucket per key that holds {@code burst} requests and refills at
 * {@code requests-per-second}, with its size set by the key's role.
 */
@ConfigMapping(prefix = "shipgan.gateway.rate-limit")
public interface RateLimitConfig {

    /** Sustained requests per second of one {@code user} key. */
    @WithName("user.requests-per-second")
    @WithDefault("10")
    int userRequestsPerSecond();

    /** Requests one {@code user} key may make at once before the sustained rate applies. */
    @WithName("user.burst")
    @WithDefault("20")
    int userBurst();

    /** Sustained requests per second of one {@code admin} key. */
    @WithName("admin.requests-per-second")
    @WithDefault("20")
    int adminRequestsPerSecond();

    /** Requests one {@code admin} key may make at once before the sustained rate applies. */
    @WithName("admin.burst")
    @WithDefault("40")
    int adminBurst();
}
