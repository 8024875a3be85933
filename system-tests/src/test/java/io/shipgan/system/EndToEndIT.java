package io.shipgan.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.CheckpointSignature;
import io.shipgan.checkpoint.SigningKeys;
import io.shipgan.testing.KafkaBroker;
import io.shipgan.testing.LoopbackPorts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
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
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The whole road with real parts: the real broker, the packaged trainer training on real ShipsNet chips, the
 * packaged generator loading its checkpoints into ONNX Runtime, and the gateway in front, all as processes. The
 * gateway lists two generator replicas from the start; the second one starts only for the last test, so until then
 * every read passes its refused port by, and then the two share steady load until one is killed with SIGKILL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    private static final String MODEL = "shipgan-dcgan";
    private static final Duration FIRST_IMAGE_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration SWAP_TIMEOUT = Duration.ofMinutes(4);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = CheckpointRecord.json();
    /** The API keys every call carries: reads and sampling as a user, rollout operations as an admin. */
    private static final String USER_KEY = GatewayKeys.USER;
    private static final String ADMIN_KEY = GatewayKeys.ADMIN;
    private static final int LOAD_CLIENTS = 8;
    private static final Duration LOAD = Duration.ofSeconds(15);
    private static final Duration KILL_AFTER = Duration.ofSeconds(5);
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(5);

    private static KafkaBroker broker;
    private static Path signingKey;
    private static Path verifyingKey;
    private static ServiceProcess trainer;
    private static ServiceProcess generator;
    private static ServiceProcess secondGenerator;
    private static ServiceProcess gateway;

    @BeforeAll
    static void startStack() throws IOException {
        broker = KafkaBroker.start();
        Path state = Files.createTempDirectory("shipgan-trainer-state-");
        Path keys = Files.createTempDirectory("shipgan-keys-");
        signingKey = keys.resolve("trainer-signing.pem");
        verifyingKey = keys.resolve("trainer-signing.pub.pem");
        SigningKeys.write(SigningKeys.generate(), signingKey, verifyingKey);

        Map<String, String> trainerConfig = ServiceProcess.smallTrainer(broker.bootstrapServers(), state);
        trainerConfig.put("shipgan.trainer.signing.private-key-file", signingKey.toString());
        trainerConfig.put("shipgan.trainer.max-chips", "150");
        trainerConfig.put("shipgan.trainer.generator-filters", "16");
        trainerConfig.put("shipgan.trainer.discriminator-filters", "16");
        trainerConfig.put("shipgan.trainer.checkpoint-every", "10");
        trainer = ServiceProcess.start("trainer-service", trainerConfig);

        generator = startGenerator(1, LoopbackPorts.free());
        // Both replicas from the start: every rollout operation (the page test pins) must reach each of them.
        secondGenerator = startGenerator(2, LoopbackPorts.free());
        // The swap test asks in a tight loop through the swaps; the rate limit is the gateway tests' subject.
        Map<String, String> gatewayConfig = GatewayKeys.gatewayPropertiesWithoutRateLimits();
        gatewayConfig.put("quarkus.stork.generator.service-discovery.address-list",
                "127.0.0.1:" + generator.port() + ",127.0.0.1:" + secondGenerator.port());
        gatewayConfig.put("shipgan.trainer-url", trainer.baseUrl());
        gateway = ServiceProcess.start("gateway", gatewayConfig);

        gateway.awaitReady(Duration.ofSeconds(60));
        generator.awaitHealth("/q/health/live", Duration.ofSeconds(90));
        trainer.awaitHealth("/q/health/live", Duration.ofSeconds(120));
    }

    /**
     * Starts generator replica {@code replica} with its own id and its own, empty model cache under target/: a
     * cache left by an earlier run would hold versions of another training run.
     */
    private static ServiceProcess startGenerator(int replica, int port) throws IOException {
        Map<String, String> config = ServiceProcess.testGenerator(replicaId(replica),
                ServiceProcess.newModelCache("generator-" + replica + "-"), verifyingKey);
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        return ServiceProcess.start("generator-service", port, config);
    }

    private static String replicaId(int replica) {
        return "generator-" + replica;
    }

    @AfterAll
    static void stopStack() {
        ServiceProcess.closeAll(gateway, generator, secondGenerator, trainer, broker);
    }

    @Test
    @Order(1)
    void servesTrainedCheckpointsAndSwapsVersionsWithoutFailedRequests() throws Exception {
        HttpResponse<byte[]> first = awaitFirstImage();
        long firstVersion = modelVersion(first);

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(first.body()));
        assertNotNull(image, "body is not a PNG");
        assertEquals(80, image.getWidth());
        assertEquals(80, image.getHeight());
        assertEquals(3, image.getColorModel().getNumComponents(), "expected RGB without alpha");
        assertEquals("7", first.headers().firstValue("X-Seed").orElseThrow());

        Map<Long, CheckpointMetadata> published = publishedCheckpoints();
        CheckpointMetadata metadata = published.get(firstVersion);
        assertNotNull(metadata, "served version " + firstVersion + " is not on the topic: " + published.keySet());
        assertEquals(List.of(3, 80, 80), metadata.outputShape());
        assertTrue(metadata.step() > 0);

        Map<Long, byte[]> bytesByVersion = new TreeMap<>();
        bytesByVersion.put(firstVersion, first.body());
        int requests = 0;
        Instant deadline = Instant.now().plus(SWAP_TIMEOUT);
        long newest = firstVersion;
        while (newest == firstVersion || bytesByVersion.size() < 2) {
            if (Instant.now().isAfter(deadline)) {
                fail("version never changed from " + firstVersion + " after " + requests + " requests\n"
                        + trainer.logTail());
            }
            HttpResponse<byte[]> response = get("/api/v1/images?count=1&seed=7");
            requests++;
            assertEquals(200, response.statusCode(), "request " + requests + " failed: " + text(response));
            long version = modelVersion(response);
            assertTrue(version >= newest, "version went back from " + newest + " to " + version);
            newest = version;
            byte[] earlier = bytesByVersion.putIfAbsent(version, response.body());
            if (earlier != null) {
                assertArrayEquals(earlier, response.body(), "seed 7 gave different bytes under version " + version);
            }
        }
        assertTrue(requests >= 2, "the identical-bytes check needs at least two requests per version");
        assertTrue(bytesByVersion.size() >= 2, "expected at least two served versions: " + bytesByVersion.keySet());
        System.out.printf("served versions %s over %d requests, 0 failed%n", bytesByVersion.keySet(), requests);
    }

    @Test
    @Order(2)
    void returnsGridForManySamplesAndShowsTrainingStatus() throws Exception {
        HttpResponse<byte[]> grid = get("/api/v1/images?count=16&seed=1");
        assertEquals(200, grid.statusCode(), text(grid));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(grid.body()));
        assertEquals(4 * 80 + 3 * 2, image.getWidth());
        assertEquals(4 * 80 + 3 * 2, image.getHeight());

        HttpResponse<byte[]> training = get("/api/v1/training");
        assertEquals(200, training.statusCode(), text(training));
        JsonNode status = JSON.readTree(training.body());
        assertEquals("TRAINING", status.path("state").asText());
        assertTrue(status.path("step").asLong() > 0);
        assertTrue(Double.isFinite(status.path("losses").path("generator").asDouble(Double.NaN)));

        HttpResponse<byte[]> models = get("/api/v1/models");
        assertEquals(200, models.statusCode(), text(models));
        assertTrue(JSON.readTree(models.body()).path("active").path("version").asLong() > 0);
    }

    @Test
    @Order(3)
    void servesInterpolationNpyAndRolloutEventsThroughTheGateway() throws Exception {
        HttpResponse<byte[]> strip = get("/api/v1/images/interpolation?from=1&to=2&steps=3");
        assertEquals(200, strip.statusCode(), text(strip));
        BufferedImage tiles = ImageIO.read(new ByteArrayInputStream(strip.body()));
        assertEquals(3 * 80 + 2 * 2, tiles.getWidth());
        assertEquals(80, tiles.getHeight());
        assertTrue(strip.headers().firstValue("X-Model-Version").isPresent());

        HttpResponse<byte[]> npy = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                + "/api/v1/images?count=2&seed=7")).header("Accept", "application/x-npy"));
        assertEquals(200, npy.statusCode(), text(npy));
        assertEquals("application/x-npy", npy.headers().firstValue("Content-Type").orElse(""));
        int headerLength = (npy.body()[8] & 0xff) | (npy.body()[9] & 0xff) << 8;
        assertTrue(new String(npy.body(), 10, headerLength).contains("'shape': (2, 3, 80, 80)"), "a 2-sample tensor");
        assertEquals(10 + headerLength + 2 * 3 * 80 * 80 * Float.BYTES, npy.body().length, "header and float32s");

        HttpResponse<byte[]> ship = get("/api/v1/images?seed=7&label=ship");
        HttpResponse<byte[]> noShip = get("/api/v1/images?seed=7&label=no-ship");
        HttpResponse<byte[]> byDefault = get("/api/v1/images?seed=7");
        assertEquals(200, ship.statusCode(), text(ship));
        assertEquals(200, noShip.statusCode(), text(noShip));
        assertEquals("ship", ship.headers().firstValue("X-Label").orElse(""));
        assertEquals("no-ship", noShip.headers().firstValue("X-Label").orElse(""));
        if (modelVersion(ship) == modelVersion(byDefault)) {
            assertArrayEquals(ship.body(), byDefault.body(), "ship is the default label");
        }
        if (modelVersion(ship) == modelVersion(noShip)) {
            assertTrue(!java.util.Arrays.equals(ship.body(), noShip.body()), "the label changes the image");
        }
        HttpResponse<byte[]> unknown = get("/api/v1/images?seed=7&label=cat");
        assertEquals(422, unknown.statusCode(), text(unknown));
        assertTrue(text(unknown).contains("query parameter 'label' must be one of ship, no-ship"), text(unknown));

        JsonNode events = JSON.readTree(get("/api/v1/models/events").body());
        boolean activated = false;
        List<String> replicas = List.of(replicaId(1), replicaId(2));
        for (JsonNode event : events) {
            assertTrue(replicas.contains(event.path("replica").asText()), event.toString());
            activated |= event.path("event").asText().equals("activated");
        }
        assertTrue(activated, "an activation among the rollout events: " + events);

        JsonNode models = JSON.readTree(get("/api/v1/models").body());
        String replica = models.path("replica").asText();
        assertTrue(replicas.contains(replica), "the view names the replica it came from: " + replica);
        assertTrue(models.path("cache").path("dir").asText().contains("system-tests/target/generators/" + replica
                + "-"), models.path("cache").toString());
    }

    /**
     * The web page in headless Chromium on this live stack while the trainer still publishes (the page test pins
     * the active version through the page, checks that the seed decides the pixels, and unpins it again).
     */
    @Test
    @Order(4)
    void webPageShowsLiveSamplesThatTheSeedDecides() throws Exception {
        Path screenshots = WebPageCheck.run(gateway.baseUrl(), GatewayKeys.USER, GatewayKeys.ADMIN);

        BufferedImage page = ImageIO.read(screenshots.resolve("page.png").toFile());
        assertNotNull(page, "page.png is not a PNG");
        assertEquals(1360, page.getWidth(), "the screenshot is as wide as the test's window");
        assertTrue(page.getHeight() > 900, "a full-page screenshot, taller than the window: " + page.getHeight());
        assertEquals("follow-latest", JSON.readTree(get("/api/v1/models").body()).path("policy").path("mode").asText(),
                "the page test lifted its pin");
    }

    @Test
    @Order(5)
    void ignoresCheckpointWithWrongSha256WhileOldModelServes() throws Exception {
        trainer.close();
        long active = activeVersion();
        ConsumerRecord<String, byte[]> real = latestRecord();
        CheckpointMetadata realMetadata = CheckpointRecord.decodeMetadata(metadataHeader(real));
        long forged = Math.max(active, realMetadata.version()) + 1;
        CheckpointMetadata wrongSha = claiming(realMetadata, forged,
                CheckpointRecord.sha256Hex("not these bytes".getBytes()));
        publish(real.value(), wrongSha, true);

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode rejection = null;
        while (rejection == null && Instant.now().isBefore(deadline)) {
            for (JsonNode entry : JSON.readTree(get("/api/v1/models").body()).path("rejected")) {
                if (entry.path("version").asLong() == forged) {
                    rejection = entry;
                }
            }
            ServiceProcess.sleep(Duration.ofMillis(200));
        }
        assertNotNull(rejection, "forged version " + forged + " was never listed as rejected");
        assertTrue(rejection.path("reason").asText().contains("SHA-256"), rejection.toString());

        HttpResponse<byte[]> after = get("/api/v1/images?count=1&seed=7");
        assertEquals(200, after.statusCode(), text(after));
        assertEquals(active, modelVersion(after));
        assertEquals(active, activeVersion());
    }

    @Test
    @Order(6)
    void refusesACheckpointTheTrainerDidNotSignWhileOldModelServes() throws Exception {
        long active = activeVersion();
        ConsumerRecord<String, byte[]> real = latestRecord();
        CheckpointMetadata realMetadata = CheckpointRecord.decodeMetadata(metadataHeader(real));
        long forged = Math.max(active, realMetadata.version()) + 10;
        // The trainer's own bytes and honest metadata under a newer version, but without the trainer's signature.
        CheckpointMetadata unsigned = claiming(realMetadata, forged, realMetadata.sha256());
        publish(real.value(), unsigned, false);

        String expected = "record is not signed (no shipgan.checkpoint.signature header) (claims version " + forged
                + ")";
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        boolean listed = false;
        while (!listed && Instant.now().isBefore(deadline)) {
            for (JsonNode entry : JSON.readTree(get("/api/v1/models").body()).path("rejected")) {
                listed |= entry.path("reason").asText().equals(expected);
            }
            ServiceProcess.sleep(Duration.ofMillis(200));
        }
        assertTrue(listed, "the unsigned record was never listed as rejected: "
                + JSON.readTree(get("/api/v1/models").body()).path("rejected"));
        HttpResponse<byte[]> after = get("/api/v1/images?count=1&seed=7");
        assertEquals(200, after.statusCode(), text(after));
        assertEquals(active, modelVersion(after));
    }

    @Test
    @Order(7)
    void gatewayRefusesCallsWithoutKeyOrWithTheWrongRole() throws Exception {
        HttpResponse<byte[]> anonymous = HTTP.send(request("/api/v1/images?seed=7").timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(401, anonymous.statusCode(), text(anonymous));
        assertEquals("application/problem+json", anonymous.headers().firstValue("Content-Type").orElse(""));
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("ApiKey"));

        HttpResponse<byte[]> userPins = send(request("/api/v1/models/1/pin")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(403, userPins.statusCode(), text(userPins));

        HttpResponse<byte[]> adminPins = sendAsAdmin(request("/api/v1/models/999999/pin")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(404, adminPins.statusCode(), "the generators' own answer: " + text(adminPins));
    }

    @Test
    @Order(8)
    void sendsRolloutOperationsToEveryReplicaAndLosesNoMoreThanInFlightReadsWhenOneIsKilled() throws Exception {
        secondGenerator.awaitReady(Duration.ofSeconds(120));
        long active = awaitOneActiveVersion();
        awaitReplicaInRotation(replicaId(2));

        HttpResponse<byte[]> pinned = sendAsAdmin(request("/api/v1/models/" + active + "/pin")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, pinned.statusCode(), text(pinned));
        for (ServiceProcess replica : List.of(generator, secondGenerator)) {
            JsonNode policy = JSON.readTree(direct(replica, "/api/v1/models").body()).path("policy");
            assertEquals(active, policy.path("pinnedVersion").asLong(), "pinned on every replica: " + policy);
        }
        HttpResponse<byte[]> unpinned = sendAsAdmin(request("/api/v1/models/pin").DELETE());
        assertEquals(200, unpinned.statusCode(), text(unpinned));
        for (ServiceProcess replica : List.of(generator, secondGenerator)) {
            JsonNode policy = JSON.readTree(direct(replica, "/api/v1/models").body()).path("policy");
            JsonNode pin = policy.path("pinnedVersion");
            assertTrue(pin.isNull() || pin.isMissingNode(), "unpinned on every replica: " + policy);
        }

        KillUnderLoad.Figures figures = KillUnderLoad.run(gateway.baseUrl() + "/api/v1/images?count=1&seed=",
                USER_KEY, LOAD_CLIENTS, LOAD, KILL_AFTER, generator::kill);
        System.out.println("one of two generator replicas killed with SIGKILL under load: " + figures);

        assertTrue(figures.requests() > 0, figures.toString());
        assertTrue(figures.failed() <= figures.inFlightAtKill(), "lost more than the requests in flight: " + figures);
        assertTrue(figures.firstSuccessAfterKill() != null
                && figures.firstSuccessAfterKill().compareTo(RECOVERY_LIMIT) <= 0, figures.toString());
        assertTrue(figures.succeededAfterKill() > 0, figures.toString());

        HttpResponse<byte[]> partial = sendAsAdmin(request("/api/v1/models/" + active + "/pin")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(502, partial.statusCode(), text(partial));
        assertTrue(text(partial).contains("failed on 1 of 2 generator replicas (1 not reachable"), text(partial));
        assertTrue(!text(partial).contains("127.0.0.1"), "no internal address: " + text(partial));
        HttpResponse<byte[]> partialUnpin = sendAsAdmin(request("/api/v1/models/pin").DELETE());
        assertEquals(502, partialUnpin.statusCode(), text(partialUnpin));
    }

    /** Waits until both replicas serve the same version, the newest good one on the topic, and returns it. */
    private static long awaitOneActiveVersion() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            long first = JSON.readTree(direct(generator, "/api/v1/models").body()).path("active").path("version")
                    .asLong();
            long second = JSON.readTree(direct(secondGenerator, "/api/v1/models").body()).path("active")
                    .path("version").asLong();
            if (first == second && first > 0) {
                return first;
            }
            if (Instant.now().isAfter(deadline)) {
                return fail("the replicas serve versions " + first + " and " + second);
            }
            ServiceProcess.sleep(Duration.ofMillis(200));
        }
    }

    /** Waits until the gateway's models view comes from the given replica: its breaker let traffic through again. */
    private static void awaitReplicaInRotation(String replica) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<byte[]> models = get("/api/v1/models");
            if (models.statusCode() == 200 && replica.equals(JSON.readTree(models.body()).path("replica").asText())) {
                return;
            }
            ServiceProcess.sleep(Duration.ofMillis(200));
        }
        fail(replica + " never answered through the gateway\n" + gateway.logTail());
    }

    /** A real checkpoint's metadata claiming another version and SHA-256, created now: a forger's record. */
    private static CheckpointMetadata claiming(CheckpointMetadata real, long version, String sha256) {
        return new CheckpointMetadata(real.formatVersion(), MODEL, version, sha256, real.sizeBytes(), Instant.now(),
                real.step(), real.epoch(), real.latentSize(), real.labels(), real.inputName(), real.outputName(),
                real.outputShape(), real.losses(), real.scores(), real.trainingSeed());
    }

    private static HttpResponse<byte[]> awaitFirstImage() throws Exception {
        Instant deadline = Instant.now().plus(FIRST_IMAGE_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<byte[]> response = get("/api/v1/images?count=1&seed=7");
            if (response.statusCode() == 200) {
                return response;
            }
            assertEquals(503, response.statusCode(), "before the first checkpoint: " + text(response));
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            ServiceProcess.sleep(Duration.ofSeconds(1));
        }
        throw new AssertionError("no image after " + FIRST_IMAGE_TIMEOUT + "\ntrainer:\n" + trainer.logTail()
                + "\ngenerator:\n" + generator.logTail());
    }

    private static long activeVersion() throws Exception {
        return JSON.readTree(get("/api/v1/models").body()).path("active").path("version").asLong();
    }

    private static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return send(request(path));
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path));
    }

    /** A call as the gateway's user (sampling and read-only views). */
    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return sendWithKey(request, USER_KEY);
    }

    /** A call as the gateway's admin (rollout operations). */
    private static HttpResponse<byte[]> sendAsAdmin(HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return sendWithKey(request, ADMIN_KEY);
    }

    private static HttpResponse<byte[]> sendWithKey(HttpRequest.Builder request, String key)
            throws IOException, InterruptedException {
        return HTTP.send(request.header(GatewayKeys.HEADER, key).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A generator replica asked directly, past the gateway. */
    private static HttpResponse<byte[]> direct(ServiceProcess replica, String path)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(replica.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static long modelVersion(HttpResponse<?> response) {
        return Long.parseLong(response.headers().firstValue("X-Model-Version")
                .orElseThrow(() -> new AssertionError("no X-Model-Version header")));
    }

    private static String text(HttpResponse<byte[]> response) {
        return response.statusCode() + " " + new String(response.body());
    }

    private static Map<Long, CheckpointMetadata> publishedCheckpoints() {
        Map<Long, CheckpointMetadata> byVersion = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : readTopic()) {
            CheckpointMetadata metadata = CheckpointRecord.decodeMetadata(metadataHeader(record));
            assertEquals(MODEL, record.key());
            assertEquals(metadata.sha256(), CheckpointRecord.sha256Hex(record.value()),
                    "published bytes do not match their SHA-256");
            byVersion.put(metadata.version(), metadata);
        }
        return byVersion;
    }

    private static ConsumerRecord<String, byte[]> latestRecord() {
        List<ConsumerRecord<String, byte[]>> records = readTopic();
        return records.get(records.size() - 1);
    }

    private static byte[] metadataHeader(ConsumerRecord<String, byte[]> record) {
        return CheckpointTopic.metadataHeader(record);
    }

    private static List<ConsumerRecord<String, byte[]>> readTopic() {
        return CheckpointTopic.records(broker.bootstrapServers());
    }

    /** Publishes a record as a stranger to the trainer would; {@code signed}: with the trainer's signature. */
    private static void publish(byte[] onnx, CheckpointMetadata metadata, boolean signed) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, CheckpointRecord.MAX_RECORD_BYTES,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(CheckpointRecord.DEFAULT_TOPIC, metadata.modelName(), onnx);
            byte[] metadataJson = CheckpointRecord.encodeMetadata(metadata);
            record.headers().add(CheckpointRecord.METADATA_HEADER, metadataJson);
            if (signed) {
                record.headers().add(CheckpointSignature.HEADER, CheckpointSignature.sign(
                        SigningKeys.readPrivateKey(signingKey), metadata.modelName(), metadataJson));
            }
            producer.send(record).get();
        }
    }
}
