package io.shipgan.system.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.SigningKeys;
import io.shipgan.system.CheckpointTopic;
import io.shipgan.system.ServiceProcess;
import io.shipgan.testing.KafkaBroker;
import io.shipgan.testing.LoopbackPorts;
import io.shipgan.testing.PrometheusScrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promises 1 to 3 with real parts: the real broker, the packaged trainer training on real chips and publishing
 * signed checkpoints, and a packaged generator serving them. The broker is killed (-9) mid-training and the
 * generator restarted while it is away; then the trainer is killed mid-checkpoint, twice, at two points of the
 * checkpoint. What is on the topic is checked against what the trainer stored after each.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultIT {

    private static final String BROKER_KILLED = "1 broker killed";
    private static final String TRAINER_KILLED = "2 trainer killed mid-checkpoint";
    private static final String GENERATOR_RESTARTED = "3 generator restarted, broker down";
    private static final String MODEL = "shipgan-dcgan";
    private static final Pattern ONNX_FILE = Pattern.compile(Pattern.quote(MODEL) + "-v(\\d+)\\.onnx");
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration SERVE_LIMIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static KafkaBroker broker;
    private static Path state;
    private static Path signingKey;
    private static Path verifyingKey;
    private static Path generatorCache;
    private static int generatorPort;
    private static ServiceProcess trainer;
    private static ServiceProcess generator;
    /** Versions whose checkpoint a trainer kill cut short: the resumed run makes that step again, newer. */
    private static final List<Long> cutShort = new ArrayList<>();

    @BeforeAll
    static void startStack() throws IOException {
        broker = KafkaBroker.start();
        state = Files.createTempDirectory("shipgan-fault-trainer-");
        Path keys = Files.createTempDirectory("shipgan-fault-keys-");
        signingKey = keys.resolve("trainer-signing.pem");
        verifyingKey = keys.resolve("trainer-signing.pub.pem");
        SigningKeys.write(SigningKeys.generate(), signingKey, verifyingKey);
        generatorCache = ServiceProcess.newModelCache("fault-");
        generatorPort = LoopbackPorts.free();
        trainer = startTrainer();
        generator = startGenerator();
        trainer.awaitHealth("/q/health/live", Duration.ofSeconds(120));
        generator.awaitHealth("/q/health/live", Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopStack() {
        ServiceProcess.closeAll(generator, trainer, broker);
    }

    /** A small, fast run: few chips, narrow networks, a checkpoint every 3 steps, signed. */
    private static ServiceProcess startTrainer() {
        Map<String, String> config = ServiceProcess.tinyTrainer(broker.bootstrapServers(), state);
        config.put("shipgan.trainer.signing.private-key-file", signingKey.toString());
        return ServiceProcess.start("trainer-service", config);
    }

    /** The generator on its fixed port with its own model cache, which survives its restarts. */
    private static ServiceProcess startGenerator() {
        Map<String, String> config = ServiceProcess.testGenerator("generator-fault", generatorCache, verifyingKey);
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        return ServiceProcess.start("generator-service", generatorPort, config);
    }

    @Test
    @Order(1)
    void theBrokerKilledMidTrainingLosesNoCheckpointAndARestartedGeneratorServesFromItsCache() throws Exception {
        await("two checkpoints on the topic and one serving", STEP_TIMEOUT,
                () -> CheckpointTopic.records(broker.bootstrapServers()).size() >= 2 && activeVersion() > 0);
        long servingBefore = activeVersion();
        long stepAtKill = trainerStatus().get("step").asLong();
        long versionAtKill = lastVersionRecorded();

        broker.kill();
        boolean brokerBack = false;
        Duration toFirstImage;
        long servedAfterRestart;
        try {
            Instant brokerKilled = Instant.now();
            generator.kill();
            generator = startGenerator();
            Instant restarted = Instant.now();
            HttpResponse<byte[]> firstImage = generator.awaitImage("count=1&seed=7", Duration.ofSeconds(60),
                    Duration.ofMillis(20));
            toFirstImage = Duration.between(restarted, Instant.now());
            servedAfterRestart = Long.parseLong(
                    firstImage.headers().firstValue("X-Model-Version").orElse("-1"));

            // The trainer goes on while the broker is away, storing its checkpoints: the broker stays away for
            // at least this long and until that many are stored, however slow the machine.
            Duration away = Duration.ofSeconds(SuiteSize.integer("broker-down-seconds", 15));
            int toStore = SuiteSize.integer("checkpoints-while-down", 2);
            await(toStore + " checkpoints made with the broker down", STEP_TIMEOUT,
                    () -> Duration.between(brokerKilled, Instant.now()).compareTo(away) >= 0
                            && lastVersionRecorded() - versionAtKill >= toStore);
            Duration down = Duration.between(brokerKilled, Instant.now());
            long stepsWhileAway = trainerStatus().get("step").asLong() - stepAtKill;
            int waiting = (int) trainerMetric("shipgan_trainer_checkpoints_pending");
            Promises.require(BROKER_KILLED, "steps trained while the broker was down " + down.toSeconds() + " s",
                    Long.toString(stepsWhileAway), "> 0", stepsWhileAway > 0, trainer.logTail());
            Promises.report(BROKER_KILLED, "checkpoints waiting for the broker when it came back",
                    Integer.toString(waiting));
            broker.restart();
            brokerBack = true;
        } finally {
            if (!brokerBack) {
                broker.restart();
            }
        }
        Instant back = Instant.now();
        String restartLog = generator.logTail();
        long madeWhileAway = lastVersionRecorded();
        Duration backlog = within(Duration.ofSeconds(60), () -> newestOnTopic() >= madeWhileAway);
        Promises.require(BROKER_KILLED, "broker back to the checkpoints made while it was down published",
                backlog == null ? "not in 60 s" : millis(backlog), "≤ 30 s",
                backlog != null && backlog.compareTo(Duration.ofSeconds(30)) <= 0, trainer.logTail());
        long newest = newestOnTopic();
        await("the generator on the newest version", Duration.ofSeconds(60), () -> activeVersion() >= newest);
        Duration caughtUp = Duration.between(back, Instant.now());
        Promises.require(GENERATOR_RESTARTED, "broker back to generator on the newest version", millis(caughtUp),
                "≤ 30 s", caughtUp.compareTo(Duration.ofSeconds(30)) <= 0, generator.logTail());
        checkTopicAgainstStore(BROKER_KILLED);
        Promises.require(GENERATOR_RESTARTED, "restart to first image, broker down", millis(toFirstImage),
                "≤ 10 s", toFirstImage.compareTo(SERVE_LIMIT) <= 0, restartLog);
        Promises.require(GENERATOR_RESTARTED, "version served after the restart", "v" + servedAfterRestart,
                "v" + servingBefore + " (the last good one)", servedAfterRestart == servingBefore, restartLog);
    }

    @Test
    @Order(2)
    void aTrainerKilledMidCheckpointLeavesNoTornFileAndResumes() throws Exception {
        List<String> phases = new ArrayList<>();
        int torn = 0;
        int resumed = 0;
        List<Long> toNextCheckpoint = new ArrayList<>();
        for (KillPoint point : KillPoint.values()) {
            long recorded = lastVersionRecorded();
            await("the trainer at its next checkpoint", STEP_TIMEOUT, Duration.ofMillis(1),
                    () -> point.reached(recorded));
            trainer.kill();
            cutShort.add(recorded + 1);
            phases.add(point + ": " + phaseOf(recorded + 1));
            torn += tornFiles().size();
            long savedStep = savedStep();

            long newestBefore = newestOnTopic();
            Instant restart = Instant.now();
            trainer = startTrainer();
            trainer.awaitHealth("/q/health/live", Duration.ofSeconds(120));
            await("a checkpoint after the restart", STEP_TIMEOUT, () -> newestOnTopic() > newestBefore);
            toNextCheckpoint.add(Duration.between(restart, Instant.now()).toMillis());
            if (Files.readString(trainer.log()).contains("resuming from step " + savedStep)) {
                resumed++;
            }
            torn += leftovers().size();
        }
        int kills = KillPoint.values().length;
        Promises.report(TRAINER_KILLED, "where the kills landed", String.join("; ", phases));
        Promises.require(TRAINER_KILLED, "torn or leftover files after " + kills + " kills", Integer.toString(torn),
                "0", torn == 0, tornFiles() + " " + leftovers());
        Promises.require(TRAINER_KILLED, "restarts that resumed from the saved step", resumed + "/" + kills,
                kills + "/" + kills, resumed == kills, trainer.logTail());
        Promises.report(TRAINER_KILLED, "restart to the next checkpoint published", toNextCheckpoint + " ms");
        checkTopicAgainstStore(TRAINER_KILLED);
        long newest = newestOnTopic();
        await("the generator on the newest version", Duration.ofSeconds(60), () -> activeVersion() >= newest);
    }

    /** Where in a checkpoint the trainer is killed. */
    private enum KillPoint {
        /** The moment its version is recorded: the export is under way, nothing of it is stored yet. */
        VERSION_RECORDED {
            @Override
            boolean reached(long recordedBefore) {
                return lastVersionRecorded() > recordedBefore;
            }
        },
        /** The moment its ONNX file is in place: the metadata, sample grid and saved networks are still to come. */
        ONNX_STORED {
            @Override
            boolean reached(long recordedBefore) {
                return Files.exists(state.resolve(MODEL + "-v" + (recordedBefore + 1) + ".onnx"));
            }
        };

        abstract boolean reached(long recordedBefore);
    }

    /** Which of a checkpoint's files existed when its trainer died. */
    private static String phaseOf(long version) {
        List<String> present = new ArrayList<>();
        for (String suffix : List.of(".onnx", ".json", "-samples.png")) {
            if (Files.exists(state.resolve(MODEL + "-v" + version + suffix))) {
                present.add(suffix.substring(suffix.lastIndexOf('.') + 1));
            }
        }
        return "v" + version + " had " + (present.isEmpty() ? "nothing stored" : String.join("+", present));
    }

    /**
     * What a broken promise 1 or 2 would show on the topic: every checkpoint the trainer stored is there with its
     * bytes, versions only grow from record to record, and a version seen twice is the same model both times.
     */
    private static void checkTopicAgainstStore(String promise) throws IOException {
        Map<Long, String> stored = storedCheckpoints();
        List<CheckpointMetadata> onTopic = CheckpointTopic.metadata(broker.bootstrapServers());
        Map<Long, String> published = new TreeMap<>();
        int outOfOrder = 0;
        int differentModel = 0;
        int repeated = 0;
        long previous = 0;
        for (CheckpointMetadata metadata : onTopic) {
            String earlier = published.putIfAbsent(metadata.version(), metadata.sha256());
            if (earlier != null) {
                repeated++;
                if (!earlier.equals(metadata.sha256())) {
                    differentModel++;
                }
            } else if (metadata.version() <= previous) {
                outOfOrder++;
            }
            previous = Math.max(previous, metadata.version());
        }
        int lost = 0;
        for (Map.Entry<Long, String> checkpoint : stored.entrySet()) {
            if (!checkpoint.getValue().equals(published.get(checkpoint.getKey()))) {
                lost++;
            }
        }
        String detail = "stored " + stored.keySet() + " (cut short by kills: " + cutShort + "), on the topic "
                + onTopic.stream().map(CheckpointMetadata::version).toList();
        Promises.require(promise, "stored checkpoints missing from the topic", lost + " of " + stored.size(), "0",
                lost == 0, detail);
        Promises.require(promise, "records whose version did not grow", Integer.toString(outOfOrder), "0",
                outOfOrder == 0, detail);
        Promises.require(promise, "versions published twice as different models", Integer.toString(differentModel),
                "0", differentModel == 0, detail);
        Promises.report(promise, "records on the topic (same record twice)", onTopic.size() + " (" + repeated + ")");
    }

    /**
     * Version → SHA-256 of every ONNX file the trainer stored, but for the checkpoints a kill cut short. Kept
     * independent of the trainer's own bookkeeping, so that a trainer which dropped what it could not publish
     * fails here.
     */
    private static Map<Long, String> storedCheckpoints() throws IOException {
        Map<Long, String> stored = new TreeMap<>();
        try (Stream<Path> files = Files.list(state)) {
            for (Path file : files.toList()) {
                Matcher matcher = ONNX_FILE.matcher(file.getFileName().toString());
                if (matcher.matches() && !cutShort.contains(Long.parseLong(matcher.group(1)))) {
                    stored.put(Long.parseLong(matcher.group(1)), CheckpointRecord.sha256Hex(Files.readAllBytes(file)));
                }
            }
        }
        return stored;
    }

    /**
     * Files a kill tore: a checkpoint whose stored metadata does not describe its ONNX bytes (or has none), and
     * saved networks that are missing or empty.
     */
    private static List<String> tornFiles() throws IOException {
        List<String> torn = new ArrayList<>();
        try (Stream<Path> files = Files.list(state)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches(
                    Pattern.quote(MODEL) + "-v\\d+\\.json")).toList()) {
                String sha256 = CheckpointRecord.decodeMetadata(Files.readAllBytes(file)).sha256();
                Path onnx = file.resolveSibling(file.getFileName().toString().replace(".json", ".onnx"));
                if (!Files.exists(onnx) || !sha256.equals(CheckpointRecord.sha256Hex(Files.readAllBytes(onnx)))) {
                    torn.add(onnx.getFileName().toString());
                }
            }
        }
        JsonNode saved = CheckpointRecord.json().readTree(state.resolve("saved-training.json").toFile());
        for (String network : List.of("generatorFile", "discriminatorFile")) {
            Path file = state.resolve(saved.get(network).asText());
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                torn.add(file.getFileName().toString());
            }
        }
        return torn;
    }

    /** Temporary files of interrupted writes still in the state folder (a started trainer clears them). */
    private static List<String> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(state)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".tmp")).toList();
        }
    }

    private static long savedStep() throws IOException {
        return CheckpointRecord.json().readTree(state.resolve("saved-training.json").toFile()).get("step").asLong();
    }

    private static long lastVersionRecorded() {
        try {
            Path file = state.resolve("last-version");
            return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static long newestOnTopic() {
        return CheckpointTopic.metadata(broker.bootstrapServers()).stream()
                .mapToLong(CheckpointMetadata::version).max().orElse(0);
    }

    private static long activeVersion() {
        try {
            JsonNode active = getJson(generator.baseUrl() + "/api/v1/models").get("active");
            return active == null || active.isNull() ? 0 : active.get("version").asLong();
        } catch (IOException e) {
            return 0;
        }
    }

    private static JsonNode trainerStatus() throws IOException {
        return getJson(trainer.baseUrl() + "/api/v1/training");
    }

    private static double trainerMetric(String name) {
        return PrometheusScrape.scrape(trainer.baseUrl() + "/q/metrics").require(name);
    }

    private static double trainerMetricOrNaN(String name) {
        try {
            return trainerMetric(name);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static JsonNode getJson(String url) throws IOException {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), url + ": " + response.body());
            return CheckpointRecord.json().readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** How long until {@code condition} held, or null when it did not within {@code timeout}. */
    private static Duration within(Duration timeout, Supplier<Boolean> condition) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                return null;
            }
            ServiceProcess.sleep(Duration.ofMillis(250));
        }
        return Duration.between(start, Instant.now());
    }

    private static void await(String what, Duration timeout, Supplier<Boolean> condition) {
        await(what, timeout, Duration.ofMillis(250), condition);
    }

    private static void await(String what, Duration timeout, Duration poll, Supplier<Boolean> condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.get()) {
            assertTrue(Instant.now().isBefore(deadline), "not reached in " + timeout + ": " + what
                    + "\ntrainer:\n" + trainer.logTail() + "\ngenerator:\n" + generator.logTail());
            ServiceProcess.sleep(poll);
        }
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }
}
