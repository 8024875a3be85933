package io.shipgan.trainer.publish;

import io.quarkus.logging.Log;
import io.shipgan.trainer.export.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints that are stored in the state folder but not yet acknowledged by the broker, sent in version
 * order by a thread of their own, so that training never waits for the broker. A checkpoint is pending once its
 * metadata file ({@code <model>-v<version>.json}, the record's metadata header as it is sent) is written next to
 * its ONNX file; the last version the broker acknowledged is kept in {@code published-version}. While the broker
 * is away the oldest pending checkpoint is tried again with a growing pause; a restart sends what an outage or a
 * crash left behind. Versions on the topic therefore only ever grow, and a checkpoint sent twice (acknowledged,
 * then killed before the acknowledgement was recorded) is the same record twice, never another model.
 */
public final class CheckpointOutbox implements AutoCloseable {

    static final String PUBLISHED_FILE = "published-version";

    /** Sends one record and returns once the broker acknowledged it; throws when it did not. */
    public interface Sender {
        void send(long version, String modelName, byte[] metadataJson, byte[] onnx);
    }

    /** What the outbox tells about each attempt, for logs and metrics. */
    public interface Listener {
        void published(long version, long attempts);

        void failed(long version, long attempts, RuntimeException cause);
    }

    private record Pending(long version, Path onnx, Path metadata) {
    }

    private final Path stateDir;
    private final String modelName;
    private final Sender sender;
    private final Listener listener;
    private final Duration firstPause;
    private final Duration longestPause;
    private final Path publishedFile;
    private final ConcurrentSkipListMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread daemon = new Thread(runnable, "checkpoint-outbox");
        daemon.setDaemon(true);
        return daemon;
    });
    private volatile long published;
    private volatile boolean closed;
    /** Guarded by this: whether a send is queued or running, so that adds do not cut a pause short. */
    private boolean scheduled;
    private Duration pause;
    private long attempts;

    /**
     * Reads the last acknowledged version of the state folder; nothing is pending until {@link #recover} runs.
     *
     * @param firstPause   the pause after the first failed send; it doubles up to {@code longestPause}
     */
    public CheckpointOutbox(Path stateDir, String modelName, Sender sender, Listener listener, Duration firstPause,
                            Duration longestPause) {
        this.stateDir = stateDir;
        this.modelName = modelName;
        this.sender = sender;
        this.listener = listener;
        this.firstPause = firstPause;
        this.longestPause = longestPause;
        this.pause = firstPause;
        this.publishedFile = stateDir.resolve(PUBLISHED_FILE);
        this.published = readPublished(stateDir);
    }

    /**
     * Queues the checkpoints of the state folder that were stored after the last acknowledged one and are newer
     * than {@code newestOnTopic}: older ones would be refused by every generator as a step back.
     */
    public void recover(long newestOnTopic) {
        Pattern name = Pattern.compile(Pattern.quote(modelName) + "-v(\\d+)\\.json");
        try (Stream<Path> files = Files.list(stateDir)) {
            files.forEach(file -> {
                Matcher matcher = name.matcher(file.getFileName().toString());
                if (!matcher.matches()) {
                    return;
                }
                long version = Long.parseLong(matcher.group(1));
                Path onnx = file.resolveSibling(modelName + "-v" + version + ".onnx");
                if (version > published && version > newestOnTopic && Files.isRegularFile(onnx)) {
                    pending.put(version, new Pending(version, onnx, file));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + stateDir, e);
        }
        if (!pending.isEmpty()) {
            Log.infof("%d stored checkpoint(s) of %s not yet acknowledged by the broker (versions %s): sending them "
                    + "in order", pending.size(), modelName, pending.keySet());
            schedule(Duration.ZERO);
        }
    }

    /**
     * Stores the metadata header of a checkpoint whose ONNX file is written, which makes it pending, and sends
     * it as soon as those before it are acknowledged.
     */
    public void add(long version, Path onnx, byte[] metadataJson) {
        Path metadata = onnx.resolveSibling(modelName + "-v" + version + ".json");
        try {
            AtomicFiles.write(metadata, metadataJson);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the metadata of checkpoint " + version + " at " + metadata,
                    e);
        }
        pending.put(version, new Pending(version, onnx, metadata));
        schedule(Duration.ZERO);
    }

    /** The last version the broker acknowledged, in this run or before it; 0 when none was. */
    public long lastPublished() {
        return published;
    }

    /** How many stored checkpoints wait for the broker. */
    public int pendingCount() {
        return pending.size();
    }

    private synchronized void schedule(Duration delay) {
        if (scheduled || thread.isShutdown()) {
            return;
        }
        scheduled = true;
        thread.schedule(this::sendPending, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends the pending checkpoints oldest first until none is left or one fails, which is tried again later. */
    private void sendPending() {
        synchronized (this) {
            scheduled = false;
        }
        Map.Entry<Long, Pending> next;
        while ((next = pending.firstEntry()) != null && !Thread.currentThread().isInterrupted()) {
            Pending checkpoint = next.getValue();
            attempts++;
            try {
                byte[] metadata = Files.readAllBytes(checkpoint.metadata());
                sender.send(checkpoint.version(), modelName, metadata, Files.readAllBytes(checkpoint.onnx()));
            } catch (IOException e) {
                Log.errorf("stored checkpoint %d cannot be read (%s) and is dropped: %s", checkpoint.version(),
                        checkpoint.onnx(), e.getMessage());
                pending.remove(checkpoint.version());
                continue;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                listener.failed(checkpoint.version(), attempts, e);
                Duration wait = pause;
                pause = pause.multipliedBy(2).compareTo(longestPause) > 0 ? longestPause : pause.multipliedBy(2);
                schedule(wait);
                return;
            }
            pending.remove(checkpoint.version());
            recordPublished(checkpoint.version());
            listener.published(checkpoint.version(), attempts);
            attempts = 0;
            pause = firstPause;
        }
    }

    private void recordPublished(long version) {
        published = Math.max(published, version);
        try {
            CheckpointVersions.writeVersionFile(publishedFile, published);
        } catch (IOException e) {
            // The record is on the topic: a restart would send it again, the same record, which generators ignore.
            Log.warnf("cannot record that checkpoint %d was published in %s: %s", version, publishedFile,
                    e.getMessage());
        }
    }

    /** Stops sending; what is still pending stays in the state folder for the next start. */
    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last version acknowledged by the broker as recorded in {@code stateDir}; 0 when none is. */
    static long readPublished(Path stateDir) {
        return CheckpointVersions.readVersionFile(stateDir.resolve(PUBLISHED_FILE));
    }
}
