package io.shipgan.generator.checkpoint;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.generator.rest.ImageResource;
import io.shipgan.generator.testing.Await;
import io.shipgan.generator.testing.CachedModelsBrokerDownResource;
import io.shipgan.generator.testing.CheckpointPublisher;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.ModelsApi;
import io.shipgan.generator.testing.RolloutEventReader.Received;
import io.shipgan.generator.testing.RolloutEventReader;
import io.shipgan.generator.testing.TestCheckpoints;
import io.shipgan.testing.InjectKafkaBroker;
import io.shipgan.testing.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica restarted while the broker is down: it serves its cached model at once, catches up when the broker
 * is back, and rejects every kind of bad checkpoint while the old model serves, publishing a rollout event for
 * each, read back from the events topic. The methods build on each other, in order.
 */
@QuarkusTest
@TestProfile(RolloutOverKafkaTest.FollowingWithEvents.class)
@QuarkusTestResource(value = CachedModelsBrokerDownResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutOverKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REPLICA = "kafka-test-replica";

    /** Follows the topic and publishes events, retrying the broker quickly. */
    public static class FollowingWithEvents implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "shipgan.generator.follow-topic", "true",
                    "shipgan.generator.events.enabled", "true",
                    "shipgan.generator.replica-id", REPLICA,
                    "shipgan.generator.retry-backoff-initial", "200ms",
                    "shipgan.generator.retry-backoff-max", "1s",
                    "shipgan.generator.poll-timeout", "200ms");
        }
    }

    @InjectKafkaBroker
    KafkaBroker broker;

    private static CheckpointPublisher publisher;

    @AfterAll
    static void closePublisher() {
        if (publisher != null) {
            publisher.close();
        }
    }

    @Test
    @Order(1)
    void servesTheCachedModelAtOnceWhileTheBrokerIsDown() {
        given().queryParam("seed", 1).when().get("/api/v1/images").then().statusCode(200)
                .header(ImageResource.MODEL_VERSION_HEADER, "3");
        given().when().get("/q/health/ready").then().statusCode(200);

        JsonPath models = models();
        assertEquals(List.of(3, 2, 1), models.getList("versions.version"));
        assertEquals(List.of("active", "cached", "cached"), models.getList("versions.status"));
        assertEquals(1, models.getInt("counters.restored-from-cache"));
        awaitCondition("follower waits for the broker", () -> "waiting_for_broker".equals(
                given().when().get("/q/health/live").then().extract().jsonPath()
                        .getString("checks[0].data.checkpointFollower")));
    }

    @Test
    @Order(2)
    void catchesUpOnceTheBrokerIsBack() {
        broker.restart();

        publisher().publish(scored(4, 404, CachedModelsBrokerDownResource.CACHED_FD), onnxOf(404));

        awaitActiveVersion(4);
    }

    @Test
    @Order(3)
    void rejectsEveryKindOfBadCheckpointWhileTheOldModelServesAndPublishesEachRejection() {
        byte[] garbage = new byte[4096];
        new Random(5).nextBytes(garbage);
        publisher().publish(TestCheckpoints.metadata(5, garbage), garbage);
        byte[] wrongShape = GeneratorModels.dense(6).sampleShape(3, 64, 64).build();
        publisher().publish(TestCheckpoints.metadata(6, wrongShape), wrongShape);
        byte[] nan = GeneratorModels.dcgan(7).nanOutput().build();
        publisher().publish(TestCheckpoints.metadata(7, nan), nan);
        publisher().publish(scored(8, 408, 60.0), onnxOf(408));

        awaitCondition("checkpoints 5 to 8 rejected", () -> models().getList("rejected.version")
                .containsAll(List.of(5, 6, 7, 8)));
        given().queryParam("seed", 2).when().get("/api/v1/images").then().statusCode(200)
                .header(ImageResource.MODEL_VERSION_HEADER, "4");

        try (RolloutEventReader reader = new RolloutEventReader(broker.bootstrapServers(),
                "shipgan.rollout-events")) {
            List<Received> events = reader.awaitEvents(WAIT,
                    event("activated", 3L), event("activated", 4L), event("rejected", 5L),
                    event("rejected", 6L), event("rejected", 7L), event("rejected", 8L));

            assertEquals("restored from the local cache", find(events, "activated", 3L).reason(),
                    "sent during the outage, delivered after it");
            assertEquals("newest passing checkpoint", find(events, "activated", 4L).reason());
            assertTrue(find(events, "rejected", 5L).reason().startsWith("ONNX Runtime cannot load it: "));
            assertEquals("output 'image' has shape [-1, 3, 64, 64], expected [N, 3, 80, 80]",
                    find(events, "rejected", 6L).reason());
            assertEquals("probe run gave NaN at value 0; images must be finite",
                    find(events, "rejected", 7L).reason());
            assertEquals("quality gate: fd_ship 60 is worse than active model 4's 40 by more than 10% (lower is "
                    + "better; limit 44)", find(events, "rejected", 8L).reason());
            Received any = find(events, "rejected", 8L);
            assertEquals(TestCheckpoints.MODEL_NAME, any.key());
            assertEquals(REPLICA, any.json().getString("replica"));
            assertEquals(TestCheckpoints.MODEL_NAME, any.json().getString("modelName"));
            assertTrue(any.json().getString("at").startsWith("20"), any.json().prettify());
        }
        JsonPath models = models();
        assertEquals(4, models.getInt("active.version"));
        assertEquals(4, models.getInt("counters.rejected"));
        assertEquals(1, models.getInt("counters.rejected-by-gate"));
    }

    private static CheckpointMetadata scored(long version, long weightSeed, double fd) {
        return TestCheckpoints.metadataWithScores(version, onnxOf(weightSeed), Map.of("fd_ship", fd));
    }

    private static byte[] onnxOf(long weightSeed) {
        return GeneratorModels.dcgan(weightSeed).build();
    }

    private static Predicate<Received> event(String type, Long version) {
        return received -> type.equals(received.event()) && version.equals(received.version());
    }

    private static Received find(List<Received> events, String type, Long version) {
        return events.stream().filter(event(type, version)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " event for version " + version + " in "
                        + events.stream().map(e -> e.event() + " " + e.version()).toList()));
    }

    private CheckpointPublisher publisher() {
        if (publisher == null) {
            publisher = new CheckpointPublisher(broker.bootstrapServers());
        }
        return publisher;
    }

    private static JsonPath models() {
        return ModelsApi.models();
    }

    private static void awaitActiveVersion(long version) {
        ModelsApi.awaitActiveVersion(version, WAIT);
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        Await.until(what, WAIT, condition);
    }
}
