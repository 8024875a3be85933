package io.shipgan.trainer.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.trainer.export.AtomicFiles;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Both networks with their Adam state, and the step and epoch they had reached, kept in the state folder at every
 * checkpoint so that a restarted trainer goes on where it was instead of publishing a freshly initialised
 * generator under a newer version. The networks go to files named for the step; a small JSON file, replaced
 * last and atomically, says which pair belongs together, so a crash mid-save leaves the previous pair in force.
 */
public final class SavedTraining {

    static final String PROGRESS_FILE = "saved-training.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param generatorFile     file name of the saved generator, in the state folder
     * @param discriminatorFile file name of the saved discriminator, in the state folder
     */
    record Progress(long step, int epoch, String generatorFile, String discriminatorFile, Long seed, String split) {
    }

    /** What was restored: the networks ready to train on, and where they had got to. */
    public record Restored(GanTrainer gan, long step, int epoch) {
    }

    private SavedTraining() {
    }

    /** Saves both networks (with updater state) and the progress, then removes the pair saved before. */
    public static void save(Path stateDir, GanTrainer gan, long step, int epoch, long seed, String split)
            throws IOException {
        Optional<Progress> previous = readProgress(stateDir);
        Progress progress = new Progress(step, epoch, "generator-" + step + ".zip", "discriminator-" + step + ".zip",
                seed, split);
        AtomicFiles.write(stateDir.resolve(progress.generatorFile()), serialized(gan.generator()));
        AtomicFiles.write(stateDir.resolve(progress.discriminatorFile()), serialized(gan.discriminator()));
        AtomicFiles.write(stateDir.resolve(PROGRESS_FILE), JSON.writeValueAsBytes(progress));
        if (previous.isPresent() && previous.get().step() != step) {
            Files.deleteIfExists(stateDir.resolve(previous.get().generatorFile()));
            Files.deleteIfExists(stateDir.resolve(previous.get().discriminatorFile()));
        }
    }

    /**
     * The saved training of the state folder, when there is one and its networks have the shapes the
     * configuration builds; otherwise empty, with a warning when a saved state was passed over.
     */
    public static Optional<Restored> restore(Path stateDir, TrainerConfig config, int labels, String split) {
        Optional<Progress> saved = readProgress(stateDir);
        if (saved.isEmpty()) {
            return Optional.empty();
        }
        Progress progress = saved.get();
        if (progress.split() != null && !progress.split().equals(split)) {
            // Resuming would continue on chips that are now held out, or miss new ones: the scores would lie.
            Log.warnf("the training saved in %s used another train/held-out split (%s, now %s): starting from "
                    + "fresh networks", stateDir, progress.split(), split);
            return Optional.empty();
        }
        try {
            MultiLayerNetwork generator = restoreNetwork(stateDir.resolve(progress.generatorFile()));
            MultiLayerNetwork discriminator = restoreNetwork(stateDir.resolve(progress.discriminatorFile()));
            if (!sameShapes(generator, Dcgan.generator(config, labels))
                    || !sameShapes(discriminator, Dcgan.discriminator(config, labels))) {
                Log.warnf("the training saved in %s has other network shapes than the configuration builds "
                        + "(filters or latent size changed?): starting from fresh networks", stateDir);
                return Optional.empty();
            }
            return Optional.of(new Restored(new GanTrainer(generator, discriminator, config, labels), progress.step(),
                    progress.epoch()));
        } catch (IOException | RuntimeException e) {
            Log.warnf("cannot restore the training saved in %s (%s): starting from fresh networks; delete %s to "
                    + "silence this", stateDir, e.getMessage(), stateDir.resolve(PROGRESS_FILE));
            return Optional.empty();
        }
    }

    private static Optional<Progress> readProgress(Path stateDir) {
        Path file = stateDir.resolve(PROGRESS_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Progress.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read saved training progress " + file + "; fix or delete it", e);
        }
    }

    private static byte[] serialized(MultiLayerNetwork network) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(network, bytes, true);
        return bytes.toByteArray();
    }

    private static MultiLayerNetwork restoreNetwork(Path file) throws IOException {
        return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
    }

    private static boolean sameShapes(MultiLayerNetwork restored, MultiLayerNetwork configured) {
        return shapes(restored).equals(shapes(configured));
    }

    private static Map<String, String> shapes(MultiLayerNetwork network) {
        return network.paramTable().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> Arrays.toString(entry.getValue().shape())));
    }
}
