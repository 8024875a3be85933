package io.shipgan.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/** The scene ids of the project's evaluation split: chips of these scenes are never trained on. */
public final class HeldoutScenes {

    private HeldoutScenes() {
    }

    /** Reads one scene id per line; blank lines and lines starting with {@code #} are ignored. */
    public static Set<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MissingDatasetException("no held-out scene list", file, "shipgan.trainer.heldout-scenes");
        }
        try {
            Set<String> scenes = Files.readAllLines(file).stream()
                    .map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .collect(Collectors.toUnmodifiableSet());
            if (scenes.isEmpty()) {
                throw new MissingDatasetException("empty held-out scene list", file, "shipgan.trainer.heldout-scenes");
            }
            return scenes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read held-out scenes from " + file, e);
        }
    }
}
