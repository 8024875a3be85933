package io.shipgan.generator.checkpoint;

import io.shipgan.generator.config.GeneratorConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The most recent rejections, newest first, bounded so that a flood of bad records cannot grow memory. */
@ApplicationScoped
public class RejectionLog {

    private final int capacity;
    private final Deque<RejectedCheckpoint> recent = new ArrayDeque<>();

    public RejectionLog(GeneratorConfig config) {
        this.capacity = Math.max(1, config.rejectionHistory());
    }

    public synchronized void record(RejectedCheckpoint rejection) {
        recent.addFirst(rejection);
        while (recent.size() > capacity) {
            recent.removeLast();
        }
    }

    /** A snapshot, newest first. */
    public synchronized List<RejectedCheckpoint> recent() {
        return new ArrayList<>(recent);
    }
}
