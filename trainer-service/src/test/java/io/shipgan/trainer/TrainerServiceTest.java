package io.shipgan.trainer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.CheckpointSignature;
import io.shipgan.checkpoint.SigningKeys;
import io.shipgan.testing.InjectKafkaBroker;
import io.shipgan.testing.KafkaBroker;
import io.shipgan.testing.KafkaBrokerResource;
import io.shipgan.testing.PrometheusScrape;
import io.shipgan.trainer.publish.CheckpointPublisher;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.post;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole service on the real broker: the status API and readiness, real (small) runs that publish checkpoint
 * records, and a run that goes on while the broker is down. One application start serves all, in order.
 */
@QuarkusTest
@TestProfile(SmallTrainingProfile.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerServiceTest {

    private static final Path STATE_DIR = Path.of(SmallTrainingProfile.STATE_DIR);
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]");

    @InjectKafkaBroker
    KafkaBroker broker;

    @Inject
    CheckpointPublisher publisher;

    @Inject
    InMemorySpanExporter spans;

    @TestHTTPResource("/q/metrics")
    URL metricsUrl;

    @BeforeAll
    static void cleanStateDir() throws IOException {
        if (Files.exists(STATE_DIR)) {
            try (Stream<Path> files = Files.walk(STATE_DIR)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    @Order(1)
    void statusIsIdleWithTheConfiguredRunBeforeAnyStart() {
        get("/api/v1/training").then()
                .statusCode(200)
                .body("state", equalTo("IDLE"))
                .body("modelName", equalTo("shipgan-dcgan"))
                .body("step", equalTo(0))
                .body("epoch", equalTo(0))
                .body("checkpointEvery", equalTo(2))
                .body("seed", equalTo(42))
                .body("latestVersion", nullValue())
                .body("losses.generator", nullValue())
                .body("error", nullValue());
    }

    @Test
    @Order(2)
    void readinessIsUpAndCarriesTheTrainingState() {
        get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'trainer' }.data.state", equalTo("IDLE"));
    }

    @Test
    @Order(3)
    void stoppingWithoutARunIsAConflict() {
        post("/api/v1/training/stop").then().statusCode(409).body("state", equalTo("IDLE"));
    }

    @Test
    @Order(4)
    void aRunPublishesCheckpointRecordsThatDescribeTheirOnnxBytes() throws Exception {
        JsonPath status = trainOneRun();

        assertEquals(4, status.getLong("step"));
        assertEquals(32, status.getInt("trainChips"));
        assertEquals(32, status.getInt("heldoutChips"));
        assertEquals(List.of("ship", "no-ship"), status.getList("labels"));
        assertEquals(4, status.getLong("maxSteps"));
        double accuracy = status.getDouble("classifierAccuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1, "classifier accuracy " + accuracy);
        assertScores(status.getMap("scores"));
        assertTrue(Double.isFinite(status.getDouble("losses.generator")));
        assertTrue(status.getDouble("losses.discriminator") > 0);
        assertTrue(status.getDouble("imagesPerSecond") > 0);
        assertNotNull(status.getString("startedAt"));
        List<ConsumerRecord<String, byte[]>> records = readTopic(2);
        List<CheckpointMetadata> metadata = records.stream().map(TrainerServiceTest::metadataOf).toList();
        assertEquals(List.of(1L, 2L), metadata.stream().map(CheckpointMetadata::version).toList());
        // Publishing does not hold training up: the status names the version once the broker acknowledged it.
        get("/api/v1/training").then().body("latestVersion", equalTo(2));
        assertEquals(List.of(2L, 4L), metadata.stream().map(CheckpointMetadata::step).toList());
        for (int i = 0; i < records.size(); i++) {
            assertRecordDescribesItsBytes(records.get(i), metadata.get(i));
        }
        assertArrayEquals(Files.readAllBytes(STATE_DIR.resolve("shipgan-dcgan-v2.onnx")), records.get(1).value());
        assertOnnxGeneratesImages(records.get(1).value());
        BufferedImage samples = ImageIO.read(STATE_DIR.resolve("shipgan-dcgan-v2-samples.png").toFile());
        assertEquals(8 * 80, samples.getWidth(), "eight fixed latents a row");
        assertEquals(2 * 80, samples.getHeight(), "one row per label");
    }

    @Test
    @Order(5)
    void everyRecordCarriesTheTraceOfTheSpanThatPublishedIt() {
        List<ConsumerRecord<String, byte[]>> records = readTopic(2);

        List<String> traceIds = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            Header header = record.headers().lastHeader("traceparent");
            assertNotNull(header, "record at offset " + record.offset() + " has no traceparent header");
            String value = new String(header.value(), StandardCharsets.UTF_8);
            Matcher traceparent = TRACEPARENT.matcher(value);
            assertTrue(traceparent.matches(), "not a W3C traceparent: " + value);
            String traceId = traceparent.group(1);
            SpanData publish = spans.getFinishedSpanItems().stream()
                    .filter(span -> span.getName().equals("checkpoint publish") && span.getTraceId().equals(traceId))
                    .findFirst().orElseThrow(() -> new AssertionError("no publish span of trace " + traceId));
            assertEquals(metadataOf(record).version(), publish.getAttributes().asMap().entrySet().stream()
                    .filter(entry -> entry.getKey().getKey().equals("shipgan.checkpoint.version"))
                    .findFirst().orElseThrow().getValue());
            traceIds.add(traceId);
        }
        assertEquals(2, traceIds.stream().distinct().count(), "each checkpoint is a trace of its own: " + traceIds);
    }

    @Test
    @Order(6)
    void prometheusShowsTheRunsStepLossesScoresAndPublishedCheckpoints() {
        JsonPath status = get("/api/v1/training").then().statusCode(200).extract().jsonPath();

        PrometheusScrape metrics = PrometheusScrape.scrape(metricsUrl.toString());

        assertEquals(4, metrics.require("shipgan_trainer_step"));
        assertEquals(2, metrics.require("shipgan_trainer_latest_version"));
        assertEquals(2, metrics.require("shipgan_trainer_checkpoints_total", Map.of("result", "published")));
        assertEquals(status.getDouble("losses.generator"),
                metrics.require("shipgan_trainer_loss", Map.of("network", "generator")), 1e-6);
        assertEquals(status.getDouble("losses.discriminator"),
                metrics.require("shipgan_trainer_loss", Map.of("network", "discriminator")), 1e-6);
        for (String score : List.of("ship_rate", "no_ship_rate", "fd_ship", "fd_no_ship", "fd_floor_ship",
                "classifier_accuracy")) {
            assertEquals(status.getDouble("scores." + score),
                    metrics.require("shipgan_trainer_score", Map.of("score", score)), 1e-6, score);
        }
        assertTrue(metrics.require("shipgan_trainer_images_per_second") > 0);
    }

    @Test
    @Order(7)
    void theRunsPicturesAndHistoryAreServed() throws IOException {
        byte[] grid = get("/api/v1/training/checkpoints/2/samples.png").then()
                .statusCode(200)
                .contentType("image/png")
                .extract().asByteArray();
        assertArrayEquals(Files.readAllBytes(STATE_DIR.resolve("shipgan-dcgan-v2-samples.png")), grid);
        BufferedImage curves = ImageIO.read(new java.io.ByteArrayInputStream(get("/api/v1/training/curves.png")
                .then().statusCode(200).contentType("image/png").extract().asByteArray()));
        assertEquals(900, curves.getWidth());
        get("/api/v1/training/checkpoints/99/samples.png").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("no sample grid for checkpoint 99"));
        get("/api/v1/training/checkpoints/abc/samples.png").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("version must be a whole number of at least 1, got 'abc'"));

        JsonPath history = get("/api/v1/training/history").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> points = history.getList("$");
        List<Map<String, Object>> checkpoints = points.stream().filter(point -> point.containsKey("scores")).toList();
        assertEquals(List.of(2, 4), checkpoints.stream().map(point -> point.get("step")).toList());
        assertEquals(List.of(1, 2), checkpoints.stream().map(point -> point.get("version")).toList());
    }

    @Test
    @Order(8)
    void aFreshStateFolderContinuesVersionsAfterTheLastOneOnTheTopic() throws IOException {
        Files.delete(STATE_DIR.resolve("last-version"));

        publisher.prepareVersions();

        assertEquals(2, publisher.lastVersion());
    }

    @Test
    @Order(9)
    void trainingGoesOnWhileTheBrokerIsDownAndItsCheckpointsArePublishedInOrderWhenItReturns() throws Exception {
        broker.stop();

        JsonPath status = trainOneRun();

        assertEquals(4, status.getLong("step"));
        assertEquals(2, status.getLong("latestVersion"), "nothing new was acknowledged");
        assertTrue(Files.size(STATE_DIR.resolve("shipgan-dcgan-v3.onnx")) > 10_000);
        assertTrue(Files.size(STATE_DIR.resolve("shipgan-dcgan-v4.onnx")) > 10_000);
        assertEquals("4", Files.readString(STATE_DIR.resolve("last-version")).trim());
        get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'trainer' }.data.state", equalTo("STOPPED"));
        assertEquals(2, PrometheusScrape.scrape(metricsUrl.toString()).require("shipgan_trainer_checkpoints_pending"));

        broker.restart();

        List<ConsumerRecord<String, byte[]>> records = readTopic(4);
        assertEquals(List.of(1L, 2L, 3L, 4L), records.stream().map(r -> metadataOf(r).version()).toList(),
                "the two stored while the broker was away follow, in order, each once");
        assertArrayEquals(Files.readAllBytes(STATE_DIR.resolve("shipgan-dcgan-v4.onnx")), records.get(3).value());
        assertRecordDescribesItsBytes(records.get(3), metadataOf(records.get(3)));
        awaitLatestVersion(4);
        assertEquals("4", Files.readString(STATE_DIR.resolve("published-version")).trim());
    }

    private static void awaitLatestVersion(long version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (get("/api/v1/training").jsonPath().getLong("latestVersion") != version) {
            assertTrue(System.nanoTime() < deadline, "latestVersion never became " + version);
            Thread.sleep(200);
        }
    }

    private static JsonPath trainOneRun() throws InterruptedException {
        post("/api/v1/training/start").then().statusCode(202);
        JsonPath status = TrainingAwait.untilEnded(Duration.ofMinutes(3));
        assertEquals("STOPPED", status.getString("state"), status.prettify());
        return status;
    }

    private static CheckpointMetadata metadataOf(ConsumerRecord<String, byte[]> record) {
        return CheckpointRecord.decodeMetadata(record.headers().lastHeader(CheckpointRecord.METADATA_HEADER).value());
    }

    private static void assertRecordDescribesItsBytes(ConsumerRecord<String, byte[]> record,
                                                      CheckpointMetadata metadata) throws IOException {
        // Signed by the trainer's key over the key and the metadata bytes as sent; throws when it is not.
        Header signature = record.headers().lastHeader(CheckpointSignature.HEADER);
        CheckpointSignature.verify(SigningKeys.readPublicKey(SmallTrainingProfile.VERIFYING_KEY), record.key(),
                record.headers().lastHeader(CheckpointRecord.METADATA_HEADER).value(),
                signature == null ? null : signature.value());
        assertEquals("shipgan-dcgan", record.key());
        assertEquals("shipgan-dcgan", metadata.modelName());
        assertEquals(CheckpointRecord.FORMAT_VERSION, metadata.formatVersion());
        assertEquals(CheckpointRecord.sha256Hex(record.value()), metadata.sha256());
        assertEquals(record.value().length, metadata.sizeBytes());
        assertEquals(100, metadata.latentSize());
        assertEquals(List.of("ship", "no-ship"), metadata.labels());
        assertEquals("latent", metadata.inputName());
        assertEquals("image", metadata.outputName());
        assertEquals(List.of(3, 80, 80), metadata.outputShape());
        assertEquals(42, metadata.trainingSeed());
        assertTrue(Double.isFinite(metadata.losses().get("generator")));
        assertTrue(metadata.losses().get("discriminator") > 0);
        assertScores(metadata.scores());
        assertNotNull(metadata.createdAt());
    }

    /** Every score of both labels is there and in its range; the floors are the same at every checkpoint. */
    private static void assertScores(Map<String, ?> scores) {
        assertEquals(java.util.Set.of("classifier_accuracy", "ship_rate", "no_ship_rate", "fd_ship", "fd_no_ship",
                "fd_floor_ship", "fd_floor_no_ship"), scores.keySet());
        for (String rate : List.of("ship_rate", "no_ship_rate", "classifier_accuracy")) {
            double value = ((Number) scores.get(rate)).doubleValue();
            assertTrue(value >= 0 && value <= 1, rate + " = " + value);
        }
        for (String distance : List.of("fd_ship", "fd_no_ship", "fd_floor_ship", "fd_floor_no_ship")) {
            double value = ((Number) scores.get(distance)).doubleValue();
            assertTrue(Double.isFinite(value) && value >= 0, distance + " = " + value);
        }
    }

    private static void assertOnnxGeneratesImages(byte[] onnx) throws Exception {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor latent = OnnxTensor.createTensor(environment, FloatBuffer.wrap(new float[2 * 100]),
                     new long[] {2, 100});
             OnnxTensor label = OnnxTensor.createTensor(environment, java.nio.LongBuffer.wrap(new long[] {0, 1}),
                     new long[] {2});
             OrtSession.Result result = session.run(Map.of("latent", latent, "label", label))) {
            OnnxTensor image = (OnnxTensor) result.get("image").orElseThrow();
            assertArrayEquals(new long[] {2, 3, 80, 80}, image.getInfo().getShape());
        }
    }

    private List<ConsumerRecord<String, byte[]>> readTopic(int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, CheckpointRecord.MAX_RECORD_BYTES,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, CheckpointRecord.MAX_RECORD_BYTES);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(CheckpointRecord.DEFAULT_TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        assertEquals(expected, records.size(), "checkpoint records on the topic");
        return records;
    }
}
