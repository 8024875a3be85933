package io.shipgan.generator.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.shipgan.generator.checkpoint.CheckpointActivation.Outcome;
import io.shipgan.generator.checkpoint.CheckpointActivation;
import io.shipgan.generator.testing.Await;
import io.shipgan.generator.testing.TestCheckpoints;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The admin API over HTTP on an application with a model cache and canaries on (half the requests, judged after
 * 4): canary promotion, pin, unpin, rollback, and the problems answered for what is not allowed. The methods
 * build on each other, in order.
 */
@QuarkusTest
@TestProfile(AdminApiTest.CanariesAndCache.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A fresh cache folder per run, and canaries that are judged quickly. */
    public static class CanariesAndCache implements QuarkusTestProfile {
        private static final Path CACHE = createCacheDir();

        private static Path createCacheDir() {
            try {
                return Files.createTempDirectory("shipgan-admin-api-cache-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "shipgan.generator.cache.enabled", "true",
                    "shipgan.generator.cache.dir", CACHE.toString(),
                    "shipgan.generator.canary.enabled", "true",
                    "shipgan.generator.canary.share", "0.5",
                    "shipgan.generator.canary.requests", "4",
                    "shipgan.generator.canary.duration", "60s",
                    "shipgan.generator.replica-id", "admin-test-replica");
        }
    }

    @Inject
    CheckpointActivation activation;

    @Test
    @Order(1)
    void startsANewVersionAsACanaryAndPromotesItAfterItsRequests() {
        assertEquals(Outcome.ACTIVATED, activation.offer(TestCheckpoints.goodCandidate(1, 1)));
        assertEquals(Outcome.CANARY, activation.offer(TestCheckpoints.goodCandidate(2, 2)));

        given().when().get("/api/v1/models").then().statusCode(200)
                .body("replica", equalTo("admin-test-replica"))
                .body("policy.canary.enabled", equalTo(true))
                .body("policy.canary.duration", equalTo("PT1M"))
                .body("active.version", equalTo(1))
                .body("canary.version", equalTo(2))
                .body("canary.share", equalTo(0.5f))
                .body("canary.requestTarget", equalTo(4))
                .body("versions.version", equalTo(List.of(2, 1)))
                .body("versions.status", equalTo(List.of("canary", "active")));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks[0].data.canaryVersion", equalTo(2));
        List<String> servedBy = new ArrayList<>();
        for (int request = 0; request < 8; request++) {
            servedBy.add(given().queryParam("seed", request).when().get("/api/v1/images").then().statusCode(200)
                    .extract().header(ImageResource.MODEL_VERSION_HEADER));
        }

        assertEquals(List.of("1", "2", "1", "2", "1", "2", "1", "2"), servedBy);
        awaitCondition("canary 2 promoted", () -> models().getInt("active.version") == 2
                && models().get("canary") == null);
    }

    @Test
    @Order(2)
    void pinsAVersionAndKeepsNewerOnesOnDisk() {
        given().when().post("/api/v1/models/1/pin").then().statusCode(200)
                .contentType("application/json")
                .body("policy.mode", equalTo("pinned"))
                .body("policy.pinnedVersion", equalTo(1))
                .body("active.version", equalTo(1));

        assertEquals(Outcome.HELD, activation.offer(TestCheckpoints.goodCandidate(3, 3)));

        given().when().get("/api/v1/models").then().statusCode(200)
                .body("versions.version", equalTo(List.of(3, 2, 1)))
                .body("versions.status", equalTo(List.of("cached", "cached", "active")))
                .body("versions.onDisk", equalTo(List.of(true, true, true)));
        given().queryParam("seed", 1).when().get("/api/v1/images").then().statusCode(200)
                .header(ImageResource.MODEL_VERSION_HEADER, "1");
    }

    @Test
    @Order(3)
    void answersProblemsForAdminRequestsThatCannotBeDone() {
        assertProblem(given().when().post("/api/v1/models/abc/pin"), 400,
                "path parameter 'version' must be an integer from 0 to 9223372036854775807; got 'abc'");
        assertProblem(given().when().post("/api/v1/models/99/pin"), 404, "version 99 is unknown to this replica");
        assertProblem(given().when().post("/api/v1/models/rollback"), 409,
                "version 1 is pinned; pin another version, or unpin first");
        assertProblem(given().contentType("application/json").body("{not json").when()
                .post("/api/v1/models/rollback"), 400,
                "the body must be empty or a JSON object like {\"reason\": \"...\"}; it is not valid JSON");
        assertProblem(given().contentType("application/json").body("{\"why\": \"x\"}").when()
                .post("/api/v1/models/rollback"), 400, "unknown field 'why' in the body; the only field is 'reason'");
    }

    @Test
    @Order(4)
    void unpinningStartsTheNewestHeldVersionAsACanaryAndARollbackDropsIt() {
        given().when().delete("/api/v1/models/pin").then().statusCode(200)
                .body("policy.mode", equalTo("follow-latest"))
                .body("policy.pinnedVersion", nullValue())
                .body("canary.version", equalTo(3));

        given().contentType("application/json").body("{\"reason\": \"bad colours\"}")
                .when().post("/api/v1/models/rollback").then().statusCode(200)
                .body("canary", nullValue())
                .body("active.version", equalTo(1))
                .body("versions[0].version", equalTo(3))
                .body("versions[0].status", equalTo("rejected"))
                .body("versions[0].reason", equalTo("rolled back by operator: bad colours"))
                .body("rejected[0].version", equalTo(3));
        assertProblem(given().when().delete("/api/v1/models/pin"), 409, "no version is pinned");
    }

    @Test
    @Order(5)
    void aRollbackServesThePreviousGoodVersionAndTheWithdrawnOneCannotBePinned() {
        assertProblem(given().when().post("/api/v1/models/rollback"), 409,
                "no earlier good version is kept on disk to roll back to from version 1");
        given().when().post("/api/v1/models/2/pin").then().statusCode(200).body("active.version", equalTo(2));
        given().when().delete("/api/v1/models/pin").then().statusCode(200).body("active.version", equalTo(2));

        given().when().post("/api/v1/models/rollback").then().statusCode(200)
                .body("active.version", equalTo(1))
                .body("versions.find { it.version == 2 }.status", equalTo("rejected"));

        assertProblem(given().when().post("/api/v1/models/2/pin"), 409,
                "version 2 was rejected (rolled back by operator; version 1 serves instead); it cannot be pinned");
        assertProblem(given().when().post("/api/v1/models/3/pin"), 409,
                "version 3 was rejected (rolled back by operator: bad colours); it cannot be pinned");
    }

    @Test
    @Order(6)
    void listsEveryRolloutEventNewestFirstAndCountsThem() {
        JsonPath events = given().when().get("/api/v1/models/events").then().statusCode(200).extract().jsonPath();

        assertEquals(List.of("rolled-back", "activated", "unpinned", "pinned", "activated", "rolled-back",
                        "canary-started", "unpinned", "pinned", "activated", "promoted", "canary-started",
                        "activated"),
                events.getList("event"));
        assertEquals(List.of(2, 1, 2, 2, 2, 3, 3, 1, 1, 1, 2, 2, 1), events.getList("version"));
        assertEquals("admin-test-replica", events.getString("[0].replica"));
        assertEquals("shipgan-dcgan", events.getString("[0].modelName"));
        given().when().get("/api/v1/models").then()
                .body("counters.activated", equalTo(4))
                .body("counters.canary-started", equalTo(2))
                .body("counters.promoted", equalTo(1))
                .body("counters.pinned", equalTo(2))
                .body("counters.unpinned", equalTo(2))
                .body("counters.rolled-back", equalTo(2))
                .body("counters.rejected", equalTo(0))
                .body("cache.dir", startsWith("/"));
    }

    private static void assertProblem(io.restassured.response.Response response, int status, String detail) {
        response.then().statusCode(status)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(status))
                .body("detail", equalTo(detail));
    }

    private static JsonPath models() {
        return given().when().get("/api/v1/models").then().statusCode(200).extract().jsonPath();
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        Await.until(what, WAIT, condition);
    }
}
