package io.shipgan.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validates a compose file with {@code docker-compose config}, offline, and returns the resolved model. */
final class Compose {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Variables the compose file reads; unset, so the check sees the committed defaults. */
    private static final Set<String> VARIABLES =
            Set.of("SHIPGAN_ENV_FILE", "SHIPGAN_DATA_DIR", "SHIPGAN_GENERATOR_HOST", "COMPOSE_PROFILES");

    private Compose() {
    }

    static boolean available() {
        return Commands.find("docker-compose").isPresent();
    }

    /**
     * The file as docker-compose resolves it with every profile active (interpolated, env files read, anchors
     * expanded); a file docker-compose rejects is a problem.
     */
    static JsonNode config(Path composeFile) {
        Commands.Result result = Commands.run(
                List.of("docker-compose", "--profile", "gpu", "-f", composeFile.toString(), "config"),
                composeFile.getParent(), Map.of(), VARIABLES, TIMEOUT);
        if (!result.succeeded()) {
            throw new DeploymentCheckException("docker-compose rejects " + composeFile,
                    List.of(result.stderr().strip()));
        }
        try {
            return new YAMLMapper().readTree(result.stdout());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
