package io.shipgan.trainer.data;

import io.quarkus.logging.Log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads ShipsNet in either of its forms (a folder of PNGs or {@code shipsnet.json}) and splits it by scene id, so
 * that no chip of a held-out scene is ever trained on.
 */
public final class ShipsNetLoader {

    private static final String DATA_PATH_KEY = "shipgan.trainer.data-path";

    private ShipsNetLoader() {
    }

    /**
     * Fails fast, before anything is decoded, when the data set or the scene list is missing.
     *
     * @throws MissingDatasetException naming the path and where to get the data
     */
    public static void checkPresent(Path dataPath, Path heldoutScenes) {
        if (!Files.exists(dataPath)) {
            throw new MissingDatasetException("no ShipsNet data", dataPath, DATA_PATH_KEY);
        }
        if (!Files.isRegularFile(heldoutScenes)) {
            throw new MissingDatasetException("no held-out scene list", heldoutScenes,
                    "shipgan.trainer.heldout-scenes");
        }
    }

    /**
     * Loads the chips of the given classes, split by the held-out scene list.
     *
     * @param maxChips keep at most this many chips of each label in each split (in file order); 0 keeps all
     */
    public static ChipSet load(Path dataPath, Path heldoutScenes, Set<ChipLabel> labels, int maxChips) {
        checkPresent(dataPath, heldoutScenes);
        Set<String> heldoutSceneIds = HeldoutScenes.read(heldoutScenes);
        List<ChipSource> all = listChips(dataPath);
        if (all.isEmpty()) {
            throw new MissingDatasetException("no ShipsNet chips found", dataPath, DATA_PATH_KEY);
        }

        List<ChipSource> trainScenes = all.stream().filter(c -> !heldoutSceneIds.contains(c.sceneId())).toList();
        List<ChipSource> heldoutScenesChips = all.stream().filter(c -> heldoutSceneIds.contains(c.sceneId())).toList();
        List<Chip> train = decodeKept(trainScenes, labels, maxChips);
        List<Chip> heldout = decodeKept(heldoutScenesChips, labels, maxChips);
        if (train.isEmpty()) {
            throw new MissingDatasetException("no training chips labelled " + names(labels) + " (of " + all.size()
                    + " chips, " + heldoutScenesChips.size() + " are held out)", dataPath, DATA_PATH_KEY);
        }

        ChipSet chips = new ChipSet(labels, train, heldout, trainScenes.size(), heldoutScenesChips.size());
        Log.infof("loaded %d train %s chips from %d train / %d held-out chips in %s (%d held-out %s chips kept "
                        + "for scoring, never trained on)",
                train.size(), names(labels), trainScenes.size(), heldoutScenesChips.size(),
                dataPath.toAbsolutePath().normalize(),
                heldout.size(), names(labels));
        return chips;
    }

    /** The chips of a folder of PNGs, or of a JSON file. */
    static List<ChipSource> listChips(Path dataPath) {
        return Files.isDirectory(dataPath) ? PngFolderReader.list(dataPath) : JsonFileReader.list(dataPath);
    }

    private static List<Chip> decodeKept(List<ChipSource> chips, Set<ChipLabel> labels, int maxChips) {
        return labels.stream()
                .sorted()
                .flatMap(label -> chips.stream()
                        .filter(chip -> chip.label() == label)
                        .limit(maxChips > 0 ? maxChips : Long.MAX_VALUE))
                .map(ChipSource::decode)
                .toList();
    }

    private static String names(Set<ChipLabel> labels) {
        return labels.stream().map(ChipLabel::configName).sorted().collect(Collectors.joining("+"));
    }
}
