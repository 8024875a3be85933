package io.shipgan.gateway.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * One Bucket4j token bucket per API key, sized by the key's role: a request takes a token, and a key whose bucket is
 * empty is told how many whole seconds to wait. Buckets live in memory, so each gateway replica limits on its own.
 */
@ApplicationScoped
public class RateLimiter {

    private final RateLimitConfig config;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public RateLimiter(RateLimitConfig config) {
        requirePositive("user.requests-per-second", config.userRequestsPerSecond());
        requirePositive("user.burst", config.userBurst());
        requirePositive("admin.requests-per-second", config.adminRequestsPerSecond());
        requirePositive("admin.burst", config.adminBurst());
        this.config = config;
    }

    /**
     * Takes one request from the bucket of key {@code keyName}.
     *
     * @param role the key's own role, which sizes a new bucket
     * @return 0 when the request may go on, otherwise the seconds (at least 1) until the bucket has a token again
     */
    public long acquire(String keyName, String role) {
        Bucket bucket = buckets.computeIfAbsent(keyName, name -> newBucket(role));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        long roundedUp = probe.getNanosToWaitForRefill() + TimeUnit.SECONDS.toNanos(1) - 1;
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(roundedUp));
    }

    private Bucket newBucket(String role) {
        boolean admin = Roles.ADMIN.equals(role);
        int burst = admin ? config.adminBurst() : config.userBurst();
        int perSecond = admin ? config.adminRequestsPerSecond() : config.userRequestsPerSecond();
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .build();
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("shipgan.gateway.rate-limit." + name + " must be at least 1, was "
                    + value);
        }
    }
}
