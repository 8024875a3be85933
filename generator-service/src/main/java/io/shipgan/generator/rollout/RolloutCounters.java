package io.shipgan.generator.rollout;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How often each rollout event happened on this replica since it started, plus the causes worth telling apart:
 * rejections by cause and restores from the cache.
 */
public final class RolloutCounters {

    private final Map<RolloutEventType, AtomicLong> byEvent = new EnumMap<>(RolloutEventType.class);
    private final Map<RejectionCause, AtomicLong> rejections = new EnumMap<>(RejectionCause.class);
    private final AtomicLong restoredFromCache = new AtomicLong();

    RolloutCounters() {
        for (RolloutEventType type : RolloutEventType.values()) {
            byEvent.put(type, new AtomicLong());
        }
        for (RejectionCause cause : RejectionCause.values()) {
            rejections.put(cause, new AtomicLong());
        }
    }

    void countEvent(RolloutEventType type) {
        byEvent.get(type).incrementAndGet();
    }

    void countRejection(RejectionCause cause) {
        rejections.get(cause).incrementAndGet();
    }

    void countRestore() {
        restoredFromCache.incrementAndGet();
    }

    public long count(RolloutEventType type) {
        return byEvent.get(type).get();
    }

    public long rejectedByGate() {
        return rejections(RejectionCause.QUALITY_GATE);
    }

    /** How many checkpoints were refused for this cause. */
    public long rejections(RejectionCause cause) {
        return rejections.get(cause).get();
    }

    /** Every counter by name: the event names, then {@code rejected-by-gate} and {@code restored-from-cache}. */
    public Map<String, Long> snapshot() {
        Map<String, Long> counts = new LinkedHashMap<>();
        byEvent.forEach((type, count) -> counts.put(type.wireName(), count.get()));
        counts.put("rejected-by-gate", rejectedByGate());
        counts.put("restored-from-cache", restoredFromCache.get());
        return counts;
    }
}
