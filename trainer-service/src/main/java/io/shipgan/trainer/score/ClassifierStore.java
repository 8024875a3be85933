package io.shipgan.trainer.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.trainer.data.Chip;
import io.shipgan.trainer.data.ChipSet;
import io.shipgan.trainer.export.AtomicFiles;
import io.shipgan.trainer.export.OnnxExporter;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The classifier of a state folder: trained once on the training scenes' chips, evaluated on the held-out ones,
 * and kept (DL4J and ONNX forms) with a description of what it was trained on. A later run with the same data
 * split and classifier settings loads it instead of training it again.
 */
public final class ClassifierStore {

    static final String FOLDER = "classifier";
    static final String NETWORK_FILE = "classifier.zip";
    static final String ONNX_FILE = "classifier.onnx";
    static final String DESCRIPTION_FILE = "classifier.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClassifierStore() {
    }

    /**
     * What a stored classifier was trained on and how well it does.
     *
     * @param fingerprint      settings and split it was trained with; another fingerprint means train again
     * @param heldoutAccuracy  fraction of held-out chips it classifies right
     * @param trainChips       chips it was trained on
     * @param heldoutChips     chips it was evaluated on
     * @param trainingSeconds  how long its training took
     */
    public record Description(String fingerprint, double heldoutAccuracy, int trainChips, int heldoutChips,
                              double trainingSeconds) {
    }

    public record Loaded(ShipClassifier classifier, Description description) {
    }

    /** The stored classifier when it matches these chips and settings; otherwise a newly trained and stored one. */
    public static Loaded loadOrTrain(Path stateDir, ChipSet chips, TrainerConfig config) {
        Path folder = stateDir.resolve(FOLDER);
        String fingerprint = fingerprint(chips, config);
        try {
            Path description = folder.resolve(DESCRIPTION_FILE);
            if (Files.exists(description)) {
                Description stored = JSON.readValue(description.toFile(), Description.class);
                if (stored.fingerprint().equals(fingerprint)) {
                    ShipClassifier classifier = new ShipClassifier(
                            ModelSerializer.restoreMultiLayerNetwork(folder.resolve(NETWORK_FILE).toFile(), false));
                    Log.infof("classifier loaded from %s: held-out accuracy %.4f on %d chips", folder,
                            stored.heldoutAccuracy(), stored.heldoutChips());
                    return new Loaded(classifier, stored);
                }
                Log.infof("the classifier in %s was trained on another split or with other settings: training anew",
                        folder);
            }
        } catch (IOException | RuntimeException e) {
            Log.warnf("cannot load the classifier in %s (%s): training anew", folder, e.getMessage());
        }
        return trainAndStore(folder, chips, config, fingerprint);
    }

    private static Loaded trainAndStore(Path folder, ChipSet chips, TrainerConfig config, String fingerprint) {
        List<Chip> train = chips.train();
        Log.infof("training the ship/no-ship classifier on %d chips of the training scenes (%d epochs)",
                train.size(), config.classifier().epochs());
        long started = System.nanoTime();
        ShipClassifier classifier = ShipClassifier.train(train, config.classifier(), config.seed());
        double seconds = (System.nanoTime() - started) / 1e9;
        double accuracy = classifier.accuracy(chips.heldout());
        Description description = new Description(fingerprint, accuracy, train.size(), chips.heldout().size(),
                seconds);
        Log.infof("classifier trained in %.0f s: held-out accuracy %.4f on %d chips of held-out scenes", seconds,
                accuracy, chips.heldout().size());
        try {
            ByteArrayOutputStream network = new ByteArrayOutputStream();
            ModelSerializer.writeModel(classifier.network(), network, false);
            AtomicFiles.write(folder.resolve(NETWORK_FILE), network.toByteArray());
            AtomicFiles.write(folder.resolve(ONNX_FILE), OnnxExporter.exportClassifier(classifier.network(),
                    ShipClassifier.FEATURE_LAYER, Chip.CHANNELS, Chip.SIZE, Chip.SIZE));
            // Last: a description names a complete pair of files.
            AtomicFiles.write(folder.resolve(DESCRIPTION_FILE), JSON.writeValueAsBytes(description));
        } catch (IOException e) {
            Log.warnf("cannot store the classifier in %s (%s): the next run trains it again", folder,
                    e.getMessage());
        }
        return new Loaded(classifier, description);
    }

    /** Everything the classifier depends on: its settings, the seed and which chips fall in each split. */
    static String fingerprint(ChipSet chips, TrainerConfig config) {
        TrainerConfig.Classifier c = config.classifier();
        return String.join(";", "v1", "seed=" + config.seed(), "epochs=" + c.epochs(), "filters=" + c.filters(),
                "features=" + c.features(), "batch=" + c.batchSize(), "lr=" + c.learningRate(),
                "train=" + chips.train().size() + ":" + sceneHash(chips.train()),
                "heldout=" + chips.heldout().size() + ":" + sceneHash(chips.heldout()));
    }

    private static String sceneHash(List<Chip> chips) {
        return Integer.toHexString(Objects.hash(chips.stream()
                .map(chip -> chip.sceneId() + "@" + chip.longitude() + "," + chip.latitude() + ":" + chip.label())
                .sorted()
                .toList()));
    }
}
