package io.shipgan.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the repository and the real ShipsNet data are, as the build tells the tests. */
public final class SystemTestPaths {

    private SystemTestPaths() {
    }

    public static Path repository() {
        String configured = System.getProperty("shipgan.repo.dir");
        Path repo = configured == null ? Paths.get("..").toAbsolutePath().normalize() : Paths.get(configured);
        if (!Files.isRegularFile(repo.resolve("kafka/kafka.sh"))) {
            throw new IllegalStateException(repo + " is not the ShipGAN repository; set -Dshipgan.repo.dir");
        }
        return repo;
    }

    public static Path data() {
        String configured = System.getProperty("shipgan.data.dir");
        Path data = configured == null ? repository().resolve("../shared/data") : Paths.get(configured);
        if (!Files.isDirectory(data.resolve("shipsnet"))) {
            throw new IllegalStateException("ShipsNet not found in " + data + "; set -Dshipgan.data.dir");
        }
        return data.toAbsolutePath().normalize();
    }
}
