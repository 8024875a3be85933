package io.shipgan.trainer.publish;

import io.shipgan.trainer.export.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hands out checkpoint versions that only ever grow, across restarts: each new version is one more than the
 * largest of the last one handed out (kept in {@code state-dir/last-version}) and the last one seen on the topic.
 * A version is recorded before its checkpoint is published, so a failed publish never gets its number reused.
 */
public final class CheckpointVersions {

    static final String FILE_NAME = "last-version";

    private final Path file;
    private long last;

    /** Reads the last version recorded in the state folder, 0 when there is none yet. */
    public CheckpointVersions(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
        this.last = readVersionFile(file);
    }

    /**
     * Makes sure later versions are larger than the given one: the last on the topic, so that a fresh state
     * folder does not start over, or the last this process handed out.
     */
    public synchronized void continueAfter(long version) {
        last = Math.max(last, version);
    }

    /** The last version handed out or observed; 0 before the first. */
    public synchronized long last() {
        return last;
    }

    /** The next version, recorded in the state folder before it is returned. */
    public synchronized long next() {
        long version = last + 1;
        try {
            writeVersionFile(file, version);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record checkpoint version " + version + " in " + file, e);
        }
        last = version;
        return version;
    }

    /**
     * The version number kept in {@code file} (one number and a line break, as {@link #next} and the outbox write
     * it); 0 when the file does not exist yet.
     *
     * @throws IllegalStateException when the file holds anything else
     */
    static long readVersionFile(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? 0 : Long.parseLong(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a checkpoint version from " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " must hold one version number; fix or delete it", e);
        }
    }

    /** Writes {@code version} to {@code file} atomically, as {@link #readVersionFile} reads it. */
    static void writeVersionFile(Path file, long version) throws IOException {
        AtomicFiles.write(file, (version + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
