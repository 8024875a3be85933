package io.shipgan.generator.rollout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every version this replica has met and where it stands, bounded: beyond the capacity the oldest rejected and
 * retired versions are forgotten first; versions in service or on disk are always kept.
 */
final class VersionHistory {

    private static final Set<VersionStatus> FORGETTABLE = EnumSet.of(VersionStatus.REJECTED, VersionStatus.RETIRED);

    private final int capacity;
    private final TreeMap<Long, VersionRecord> versions = new TreeMap<>();

    VersionHistory(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    synchronized void put(VersionRecord record) {
        versions.put(record.version(), record);
        forgetOldest();
    }

    synchronized Optional<VersionRecord> find(long version) {
        return Optional.ofNullable(versions.get(version));
    }

    synchronized boolean knows(long version) {
        return versions.containsKey(version);
    }

    /** All versions, newest first. */
    synchronized List<VersionRecord> newestFirst() {
        List<VersionRecord> list = new ArrayList<>(versions.values());
        list.sort(Comparator.comparingLong(VersionRecord::version).reversed());
        return list;
    }

    /** The newest version with this status below {@code below}, e.g. the one to roll back to. */
    synchronized Optional<VersionRecord> newestWithStatus(VersionStatus status, long below) {
        for (Map.Entry<Long, VersionRecord> entry : versions.headMap(below, false).descendingMap().entrySet()) {
            if (entry.getValue().status() == status) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    private void forgetOldest() {
        Iterator<VersionRecord> oldestFirst = versions.values().iterator();
        while (versions.size() > capacity && oldestFirst.hasNext()) {
            if (FORGETTABLE.contains(oldestFirst.next().status())) {
                oldestFirst.remove();
            }
        }
    }
}
