package io.shipgan.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml passes `docker-compose config` (schema, interpolation, env file) and keeps the single-host
 * rules; broken copies fail. Skipped, with a message, where docker-compose is not installed (Debian package
 * docker-compose; .ci/run installs it).
 */
class ComposeFileTest {

    private static JsonNode config;

    @BeforeAll
    static void validateComposeFile() {
        Assumptions.assumeTrue(Compose.available(), "docker-compose is not on the PATH, so the compose file is not "
                + "checked; install Debian's docker-compose package (apt-get install docker-compose) to check it");
        config = Compose.config(Repository.composeFile());
    }

    @Test
    void composeFileIsValidAndMeetsTheSingleHostRules() {
        assertEquals(List.of(), ComposeRules.check(config));
    }

    @Test
    void onlyTheGatewayIsPublishedAndOnlyOnTheLoopback() {
        JsonNode services = config.path("services");

        services.fields().forEachRemaining(service -> assertEquals(service.getKey().equals("gateway"),
                service.getValue().has("ports"), service.getKey()));
        JsonNode port = services.path("gateway").path("ports").get(0);
        assertEquals("127.0.0.1", port.isTextual() ? port.asText().split(":")[0] : port.path("host_ip").asText());
        assertEquals("", services.path("gateway").path("environment").path("SHIPGAN_GATEWAY_API_KEYS").asText(),
                "the committed example env file grants no API key");
    }

    @Test
    void rejectsAKeyComposeDoesNotKnow(@TempDir Path copy) throws IOException {
        Path file = copyCompose(copy, "    restart: unless-stopped\n",
                "    restart: unless-stopped\n    restrat: no\n");

        DeploymentCheckException failure = assertThrows(DeploymentCheckException.class, () -> Compose.config(file));

        assertTrue(failure.problems().get(0).contains("Unsupported config option"), failure.getMessage());
    }

    @Test
    void reportsABrokerPublishedToTheHost(@TempDir Path copy) throws IOException {
        Path file = copyCompose(copy, "    volumes:\n      - kafka-data:/var/lib/kafka/data\n",
                "    ports:\n      - \"9092:9092\"\n    volumes:\n      - kafka-data:/var/lib/kafka/data\n");

        List<String> problems = ComposeRules.check(Compose.config(file));

        assertTrue(problems.contains("kafka: publishes ports; only the gateway may"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("kafka: publishes ")
                && p.endsWith(" beyond the host's loopback")), problems.toString());
    }

    @Test
    void reportsACheckpointTopicWithoutItsConfig(@TempDir Path copy) throws IOException {
        Path file = copyCompose(copy, "cleanup.policy=compact,max.message.bytes=16777216,", "");

        List<String> problems = ComposeRules.check(Compose.config(file));

        assertTrue(problems.stream().anyMatch(p -> p.startsWith("kafka-topics: shipgan.checkpoints needs "
                + "cleanup.policy=compact")), problems.toString());
    }

    @Test
    void reportsAGeneratorThatTrustsAnyCheckpoint(@TempDir Path copy) throws IOException {
        Path file = copyCompose(copy,
                "  SHIPGAN_GENERATOR_TRUST_PUBLIC_KEY_FILE: /run/secrets/trainer-signing-public-key\n", "");

        List<String> problems = ComposeRules.check(Compose.config(file));

        assertTrue(problems.contains("generator: must trust only the trainer's public key, from a compose secret"),
                problems.toString());
        assertTrue(problems.contains("generator-gpu: must trust only the trainer's public key, from a compose secret"),
                problems.toString());
    }

    /** A copy of the compose file (with the env file it falls back to) with one text replaced. */
    private static Path copyCompose(Path folder, String text, String replacement) throws IOException {
        String compose = Files.readString(Repository.composeFile());
        assertTrue(compose.contains(text), "docker-compose.yml no longer contains <" + text + ">");
        Files.createDirectories(folder.resolve("deploy"));
        Files.copy(Repository.root().resolve("deploy/compose.env.example"),
                folder.resolve("deploy/compose.env.example"));
        Path file = folder.resolve("docker-compose.yml");
        Files.writeString(file, compose.replaceFirst(java.util.regex.Pattern.quote(text),
                java.util.regex.Matcher.quoteReplacement(replacement)));
        return file;
    }
}
