package io.shipgan.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the deployment files live in this checkout. */
final class Repository {

    private Repository() {
    }

    /** The repository root: surefire passes it as {@code shipgan.repo.dir}; the module's parent otherwise. */
    static Path root() {
        String configured = System.getProperty("shipgan.repo.dir");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        root = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("docker-compose.yml"))) {
            throw new IllegalStateException("not the ShipGAN repository root (no docker-compose.yml): " + root);
        }
        return root;
    }

    /** deploy/k8s: the kustomize base and overlays. */
    static Path kubernetes() {
        return root().resolve("deploy/k8s");
    }

    static Path overlay(String name) {
        return kubernetes().resolve("overlays").resolve(name);
    }

    static Path composeFile() {
        return root().resolve("docker-compose.yml");
    }
}
