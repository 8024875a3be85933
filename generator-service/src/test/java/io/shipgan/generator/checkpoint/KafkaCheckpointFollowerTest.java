package io.shipgan.generator.checkpoint;

import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.shipgan.generator.checkpoint.CheckpointActivationTest.RecordingActiveModel;
import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.rest.ImageResource;
import io.shipgan.generator.sampling.LoadedModel;
import io.shipgan.generator.testing.Await;
import io.shipgan.generator.testing.CheckpointPublisher;
import io.shipgan.generator.testing.GeneratorParts;
import io.shipgan.generator.testing.ModelsApi;
import io.shipgan.generator.testing.SeededKafkaBrokerResource;
import io.shipgan.testing.InjectKafkaBroker;
import io.shipgan.testing.KafkaBroker;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The follower on the real broker: the topic already holds checkpoints 1 and 2 when the application starts,
 * the test publishes more while it runs, and a second in-process replica shows that every replica gets every
 * checkpoint. The methods build on each other, in order.
 */
@QuarkusTest
@TestProfile(KafkaCheckpointFollowerTest.FollowingTopic.class)
@QuarkusTestResource(value = SeededKafkaBrokerResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaCheckpointFollowerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Follows the topic, with short retry waits so that a restarted broker is found again quickly. */
    public static class FollowingTopic implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "shipgan.generator.follow-topic", "true",
                    "shipgan.generator.retry-backoff-initial", "200ms",
                    "shipgan.generator.retry-backoff-max", "2s",
                    "shipgan.generator.poll-timeout", "200ms");
        }
    }

    @InjectKafkaBroker
    KafkaBroker broker;

    @Inject
    GeneratorConfig config;

    private static CheckpointPublisher publisher;

    @AfterAll
    static void closePublisher() {
        if (publisher != null) {
            publisher.close();
        }
    }

    @Test
    @Order(1)
    void activatesTheNewestCheckpointOnTheTopicAtStartup() {
        awaitActiveVersion(SeededKafkaBrokerResource.SEEDED_NEWEST);

        JsonPath models = models();
        assertEquals(List.of(), models.getList("rejected"));
        assertEquals("following", liveness().getString("checks[0].data.checkpointFollower"));
        assertEquals(Long.toString(SeededKafkaBrokerResource.SEEDED_NEWEST), given().queryParam("seed", 1)
                .when().get("/api/v1/images").then().statusCode(200)
                .extract().header(ImageResource.MODEL_VERSION_HEADER));
    }

    @Test
    @Order(2)
    void activatesCheckpointsPublishedWhileRunning() {
        publisher().publishGood(3, 103);

        awaitActiveVersion(3);
    }

    @Test
    @Order(3)
    void rejectsACheckpointWithWrongSha256AndKeepsServing() {
        publisher().publishWithWrongSha256(4);

        awaitCondition("checkpoint 4 rejected", () -> models().getList("rejected.version").contains(4));
        JsonPath models = models();
        assertTrue(models.getString("rejected[0].reason").startsWith("SHA-256 mismatch (expected 0f0f0f0f0f0f…"),
                models.getString("rejected[0].reason"));
        assertEquals(3, models.getInt("active.version"));
        given().when().get("/api/v1/images").then().statusCode(200)
                .header(ImageResource.MODEL_VERSION_HEADER, "3");
    }

    @Test
    @Order(4)
    void everyReplicaGetsEveryCheckpointAndStartsFromTheNewestValid() {
        RecordingActiveModel replicaModel = new RecordingActiveModel();
        GeneratorParts replica = new GeneratorParts(config, replicaModel);
        CheckpointFollower follower = new CheckpointFollower(config,
                Map.of("bootstrap.servers", broker.bootstrapServers()), replica.activation,
                new CheckpointTracing(OpenTelemetry.noop()));
        follower.start();
        try {
            awaitCondition("second replica serves 3", () -> replicaModel.activeVersion() == 3);
            assertEquals(List.of(3L), replicaModel.swapped, "1 and 2 were never loaded; 4 was refused");
            assertEquals(4L, replica.rejections.recent().get(0).version());

            publisher().publishGood(5, 105);

            awaitCondition("second replica serves 5", () -> replicaModel.activeVersion() == 5);
            awaitActiveVersion(5);
        } finally {
            follower.stop();
            replicaModel.current().ifPresent(LoadedModel::release);
            replica.close();
        }
    }

    @Test
    @Order(5)
    void keepsServingWhileTheBrokerIsDownAndFollowsAgainAfter() {
        broker.stop();

        awaitCondition("follower notices the lost broker",
                () -> "waiting_for_broker".equals(liveness().getString("checks[0].data.checkpointFollower")));
        given().queryParam("count", 2).when().get("/api/v1/images").then().statusCode(200)
                .header(ImageResource.MODEL_VERSION_HEADER, "5");
        given().when().get("/q/health/ready").then().statusCode(200);

        broker.restart();
        publisher().publishGood(6, 106);

        awaitActiveVersion(6);
        assertEquals("following", liveness().getString("checks[0].data.checkpointFollower"));
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

    private static JsonPath liveness() {
        return given().when().get("/q/health/live").then().statusCode(200).extract().jsonPath();
    }

    private static void awaitActiveVersion(long version) {
        ModelsApi.awaitActiveVersion(version, WAIT);
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        Await.until(what, WAIT, condition);
    }
}
