package io.shipgan.trainer.data;

import java.nio.file.Path;

/** The configured ShipsNet data is absent or empty; the message names the path and where to get the data. */
public class MissingDatasetException extends IllegalStateException {

    /**
     * @param problem   what is wrong, e.g. "no ShipsNet chips found"
     * @param path      the path that was read
     * @param configKey the configuration key that names the path
     */
    public MissingDatasetException(String problem, Path path, String configKey) {
        super(problem + " at " + path.toAbsolutePath().normalize() + ". Set " + configKey
                + " to the ShipsNet data set (\"Ships in Satellite Imagery\", Planet Open California: a folder of "
                + "{label}__{scene id}__{lon}_{lat}.png chips or its shipsnet.json file) and the project's "
                + "heldout-scenes.txt; ../shared/data/README.md says where to get them");
    }
}
