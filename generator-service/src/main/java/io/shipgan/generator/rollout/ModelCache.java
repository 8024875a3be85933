package io.shipgan.generator.rollout;

import io.quarkus.logging.Log;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.InvalidCheckpointException;
import io.shipgan.generator.config.GeneratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The good checkpoints kept on local disk, one folder per version ({@code version-12/model.onnx} and
 * {@code metadata.json}). A version's folder is written under a temporary name and renamed into place, so a
 * folder with the final name is always complete. The bytes are checked again (SHA-256, load, probe) whenever a
 * cached version is loaded: the disk is trusted no more than the topic.
 */
@ApplicationScoped
public class ModelCache {

    static final String VERSION_PREFIX = "version-";
    static final String ONNX_FILE = "model.onnx";
    static final String METADATA_FILE = "metadata.json";

    private final boolean enabled;
    private final Path dir;
    private final int keep;

    @Inject
    public ModelCache(GeneratorConfig config) {
        this(config.cache().enabled(), config.cache().dir(), config.cache().keep());
    }

    /** A cache in {@code dir} keeping the newest {@code keep} good versions; disabled, it holds nothing. */
    public ModelCache(boolean enabled, Path dir, int keep) {
        this.enabled = enabled;
        this.dir = dir.toAbsolutePath().normalize();
        this.keep = Math.max(1, keep);
        if (enabled) {
            removeDebris();
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public Path dir() {
        return dir;
    }

    /** How many good versions are kept besides the ones in service. */
    public int keep() {
        return keep;
    }

    /**
     * Stores one checkpoint; a version already stored is left as it is (versions never change their bytes).
     *
     * @throws IOException when the disk refuses; the caller decides whether that matters
     */
    public void storeCheckpoint(CheckpointMetadata metadata, byte[] onnx) throws IOException {
        if (!enabled) {
            return;
        }
        Path target = versionDir(metadata.version());
        if (Files.isDirectory(target)) {
            return;
        }
        Files.createDirectories(dir);
        Path temp = Files.createTempDirectory(dir, AtomicFiles.TEMP_PREFIX + metadata.version() + "-");
        try {
            AtomicFiles.writeDurably(temp.resolve(ONNX_FILE), onnx);
            AtomicFiles.writeDurably(temp.resolve(METADATA_FILE), CheckpointRecord.encodeMetadata(metadata));
            AtomicFiles.syncDirectory(temp);
            AtomicFiles.moveAtomically(temp, target);
        } finally {
            AtomicFiles.deleteRecursively(temp);
        }
        AtomicFiles.syncDirectory(dir);
        Log.debugf("checkpoint %d cached in %s (%d bytes)", Long.valueOf(metadata.version()), target,
                Integer.valueOf(onnx.length));
    }

    /** Versions on disk, newest first; folders that do not parse as versions are left alone. */
    public List<Long> cachedVersions() {
        if (!enabled || !Files.isDirectory(dir)) {
            return List.of();
        }
        List<Long> versions = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, VERSION_PREFIX + "*")) {
            for (Path entry : entries) {
                parseVersion(entry.getFileName().toString()).ifPresent(versions::add);
            }
        } catch (IOException e) {
            Log.warnf("cannot list the model cache %s: %s", dir, e.getMessage());
        }
        versions.sort(Comparator.reverseOrder());
        return versions;
    }

    /** The stored metadata of a version; empty when it is not cached or its metadata cannot be read. */
    public Optional<CheckpointMetadata> readMetadata(long version) {
        Path file = versionDir(version).resolve(METADATA_FILE);
        if (!enabled || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(CheckpointRecord.decodeMetadata(Files.readAllBytes(file)));
        } catch (IOException | InvalidCheckpointException e) {
            Log.warnf("cached metadata of version %d in %s is unreadable (%s)", version, file, e.getMessage());
            return Optional.empty();
        }
    }

    /** The stored ONNX bytes of a version. */
    public byte[] readOnnx(long version) throws IOException {
        return Files.readAllBytes(versionDir(version).resolve(ONNX_FILE));
    }

    public boolean contains(long version) {
        return enabled && Files.isDirectory(versionDir(version));
    }

    /** Deletes one version's folder. */
    public void evict(long version) {
        try {
            AtomicFiles.deleteRecursively(versionDir(version));
        } catch (IOException e) {
            Log.warnf("cannot delete cached version %d in %s: %s", version, dir, e.getMessage());
        }
    }

    /** Deletes every cached version not in {@code kept}; returns the versions deleted. */
    public List<Long> retainOnly(Set<Long> kept) {
        List<Long> evicted = new ArrayList<>();
        for (long version : cachedVersions()) {
            if (!kept.contains(version)) {
                evict(version);
                evicted.add(version);
            }
        }
        return evicted;
    }

    private Path versionDir(long version) {
        return dir.resolve(VERSION_PREFIX + version);
    }

    private static Optional<Long> parseVersion(String name) {
        try {
            return Optional.of(Long.parseLong(name.substring(VERSION_PREFIX.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Temporary folders and files left by a crash mid-write are never complete: delete them. */
    private void removeDebris() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, AtomicFiles.TEMP_PREFIX + "*")) {
            for (Path entry : entries) {
                AtomicFiles.deleteRecursively(entry);
                Log.infof("removed %s, left by an interrupted write", entry);
            }
        } catch (IOException e) {
            Log.warnf("cannot clean the model cache %s: %s", dir, e.getMessage());
        }
    }
}
