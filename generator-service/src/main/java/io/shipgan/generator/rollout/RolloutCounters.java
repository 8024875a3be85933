package io.shipgan.generator.rollout;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** How often each rollout event happened on this replica since it started, plus the causes worth telling apart. */
public final class RolloutCounters {

    private final Map<RolloutEventType, AtomicLong> byEvent = new EnumMap<>(RolloutEventType.class);
    private final AtomicLong rejectedByGate = new AtomicLong();
    private final AtomicLong restoredFromCache = new AtomicLong();

    RolloutCounters() {
        for (RolloutEventType type : RolloutEventType.values()) {
            byEvent.put(type, new AtomicLong());
        }
    }

    void countEvent(RolloutEventType type) {
        byEvent.get(type).incrementAndGet();
    }

    void countGateRejection() {
        rejectedByGate.incrementAndGet();
    }

    void countRestore() {
        restoredFromCache.incrementAndGet();
    }

    public long count(RolloutEventType type) {
        return byEvent.get(type).get();
    }

    public long rejectedByGate() {
        return rejectedByGate.get();
    }

    /** Every counter by name: the event names, then {@code rejected-by-gate} and {@code restored-from-cache}. */
    public Map<String, Long> snapshot() {
        Map<String, Long> counts = new LinkedHashMap<>();
        byEvent.forEach((type, count) -> counts.put(type.wireName(), count.get()));
        counts.put("rejected-by-gate", rejectedByGate.get());
        counts.put("restored-from-cache", restoredFromCache.get());
        return counts;
    }
}
