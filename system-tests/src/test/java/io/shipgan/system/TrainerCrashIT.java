package io.shipgan.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.testing.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a training trainer, then a restart on the same state folder: it resumes from the last saved step
 * (not from 0), leaves no torn file, and its next checkpoint follows the last published version.
 */
class TrainerCrashIT {

    private static final Duration CHECKPOINT_TIMEOUT = Duration.ofMinutes(4);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static KafkaBroker broker;
    private static Path state;

    @BeforeAll
    static void startBroker() throws IOException {
        broker = KafkaBroker.start();
        state = Files.createTempDirectory("shipgan-trainer-crash-");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aKilledTrainerResumesFromItsSavedStepAndContinuesTheVersions() throws Exception {
        long killedAtStep;
        try (ServiceProcess trainer = startTrainer()) {
            trainer.awaitHealth("/q/health/live", Duration.ofSeconds(120));
            awaitPublished(2);
            // Past the second checkpoint (step 6) and mid-way to the third.
            killedAtStep = awaitStep(trainer, 7);
            trainer.kill();
        }
        List<CheckpointMetadata> beforeCrash = CheckpointTopic.metadata(broker.bootstrapServers());
        long lastVersion = beforeCrash.get(beforeCrash.size() - 1).version();
        // A kill between a checkpoint's publish and its save resumes from the save before: that step is then
        // trained again (to the same weights: steps are pure in seed and step) and published under a new version.
        long lastSavedStep = CheckpointRecord.json().readTree(state.resolve("saved-training.json").toFile())
                .get("step").asLong();
        assertTrue(killedAtStep > lastSavedStep && lastSavedStep >= 6, "killed at step " + killedAtStep
                + ", saved at " + lastSavedStep);
        assertNoTornFiles(beforeCrash);

        try (ServiceProcess restarted = startTrainer()) {
            restarted.awaitHealth("/q/health/live", Duration.ofSeconds(120));
            awaitPublished(beforeCrash.size() + 1);
            JsonNode status = status(restarted);
            assertTrue(Files.readString(restarted.log()).contains("resuming from step " + lastSavedStep),
                    "the restart resumes from the saved step " + lastSavedStep);
            assertTrue(status.get("step").asLong() > lastSavedStep, status.toString());
        }

        List<CheckpointMetadata> all = CheckpointTopic.metadata(broker.bootstrapServers());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i).version() > all.get(i - 1).version(), "versions strictly increase: " + all);
            assertTrue(all.get(i).step() >= all.get(i - 1).step(), "steps never go back: " + all);
        }
        CheckpointMetadata afterCrash = all.get(beforeCrash.size());
        assertEquals(lastVersion + 1, afterCrash.version(), "the next version follows the last published one");
        assertEquals(lastSavedStep + 3, afterCrash.step(), "the resumed run checkpoints 3 steps after its save");
        assertEquals(List.of("ship", "no-ship"), afterCrash.labels());
    }

    private static ServiceProcess startTrainer() {
        return ServiceProcess.start("trainer-service", ServiceProcess.tinyTrainer(broker.bootstrapServers(), state));
    }

    /**
     * The state folder is whole: the saved progress names networks that exist, and each published version's ONNX
     * file holds exactly the published bytes.
     */
    private static void assertNoTornFiles(List<CheckpointMetadata> published) throws IOException {
        JsonNode progress = CheckpointRecord.json().readTree(state.resolve("saved-training.json").toFile());
        assertTrue(Files.size(state.resolve(progress.get("generatorFile").asText())) > 0);
        assertTrue(Files.size(state.resolve(progress.get("discriminatorFile").asText())) > 0);
        for (CheckpointMetadata metadata : published) {
            Path onnx = state.resolve(metadata.modelName() + "-v" + metadata.version() + ".onnx");
            assertEquals(metadata.sha256(), CheckpointRecord.sha256Hex(Files.readAllBytes(onnx)), onnx.toString());
        }
    }

    private static void awaitPublished(int records) {
        Instant deadline = Instant.now().plus(CHECKPOINT_TIMEOUT);
        while (CheckpointTopic.metadata(broker.bootstrapServers()).size() < records) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("fewer than " + records + " checkpoints after " + CHECKPOINT_TIMEOUT);
            }
            ServiceProcess.sleep(Duration.ofMillis(500));
        }
    }

    private static long awaitStep(ServiceProcess trainer, long step) throws Exception {
        Instant deadline = Instant.now().plus(CHECKPOINT_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            long now = status(trainer).get("step").asLong();
            if (now >= step) {
                return now;
            }
            ServiceProcess.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("the trainer did not reach step " + step);
    }

    private static JsonNode status(ServiceProcess trainer) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(trainer.baseUrl() + "/api/v1/training")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return CheckpointRecord.json().readTree(response.body());
    }
}
