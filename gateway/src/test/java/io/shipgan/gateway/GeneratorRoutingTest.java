package io.shipgan.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway in front of two stand-in generator replicas: reads spread over both and move on to the other replica
 * when one cannot answer, each replica's breaker keeps only that replica out, rollout operations reach both and say
 * how many replicas failed. The tests share the replicas' breakers (a window of the last 4 calls, open at 2 failures),
 * so each lets at most one call fail before the breaker test, which runs last.
 */
@QuarkusTest
@QuarkusTestResource(value = TwoGeneratorReplicasResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratorRoutingTest {

    private static final String IMAGES = "GET /api/v1/images";

    private String first;
    private String second;

    @BeforeEach
    void resetReplicas() {
        String[] addresses = ConfigProvider.getConfig()
                .getValue(TwoGeneratorReplicasResource.ADDRESSES, String.class).split(",");
        first = "http://" + addresses[0];
        second = "http://" + addresses[1];
        control(first, "/fake/reset");
        control(second, "/fake/reset");
    }

    @Test
    @Order(1)
    void spreadsReadsEvenlyOverBothReplicas() {
        for (int i = 0; i < 10; i++) {
            TestKeys.asUser().queryParam("seed", i).when().get("/api/v1/images").then().statusCode(200);
        }

        assertEquals(5, hits(first, IMAGES));
        assertEquals(5, hits(second, IMAGES));
    }

    @Test
    @Order(2)
    void pinsOnEveryReplicaAndAnswersTheModelsView() {
        TestKeys.asAdmin().when().post("/api/v1/models/7/pin")
                .then().statusCode(200).contentType("application/json")
                .body("policy.pinnedVersion", equalTo(7));

        assertEquals(1, hits(first, "POST /api/v1/models/7/pin"));
        assertEquals(1, hits(second, "POST /api/v1/models/7/pin"));
    }

    @Test
    @Order(3)
    void namesHowManyReplicasFailedWhenARolloutOperationMissesOne() {
        control(first, "/fake/mode/BROKEN");

        TestKeys.asAdmin().contentType("application/json").body("{\"reason\": \"blurry hulls\"}")
                .when().post("/api/v1/models/rollback")
                .then().statusCode(502).contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("detail", equalTo("rollback failed on 1 of 2 generator replicas (1 not reachable, 0 refused "
                        + "it); the replicas may now disagree: check GET /api/v1/models and repeat the operation"))
                .body(not(containsString("127.0.0.1")));

        assertEquals(1, hits(first, "POST /api/v1/models/rollback"));
        assertEquals(1, hits(second, "POST /api/v1/models/rollback"));
    }

    @Test
    @Order(4)
    void passesARefusalEveryReplicaAgreesOnThrough() {
        TestKeys.asAdmin().when().post("/api/v1/models/409/pin")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("version 409 was rejected: quality gate"));

        assertEquals(1, hits(first, "POST /api/v1/models/409/pin"));
        assertEquals(1, hits(second, "POST /api/v1/models/409/pin"));
    }

    @Test
    @Order(5)
    void countsAReplicaThatRefusesWhileTheOtherAppliesAsFailed() {
        control(first, "/fake/mode/NO_MODEL");

        TestKeys.asAdmin().when().delete("/api/v1/models/pin")
                .then().statusCode(502).contentType("application/problem+json")
                .header("Retry-After", (String) null)
                .body("detail", containsString("unpin failed on 1 of 2 generator replicas (0 not reachable, 1 "
                        + "refused it)"));

        assertEquals(1, hits(second, "DELETE /api/v1/models/pin"));
    }

    @Test
    @Order(6)
    void servesFromTheReplicaThatHasAModel() {
        control(first, "/fake/mode/NO_MODEL");

        for (int i = 0; i < 6; i++) {
            TestKeys.asUser().queryParam("seed", i).when().get("/api/v1/images")
                    .then().statusCode(200).header("X-Model-Version", "12");
        }
        TestKeys.asUser().when().get("/api/v1/models").then().statusCode(200).body("active.version", equalTo(12));

        assertEquals(6, hits(second, IMAGES));
    }

    @Test
    @Order(7)
    void answers503WithTheReasonWhenNoReplicaHasAModel() {
        control(first, "/fake/mode/NO_MODEL");
        control(second, "/fake/mode/NO_MODEL");

        TestKeys.asUser().queryParam("seed", 1).when().get("/api/v1/images")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "7")
                .body("detail", equalTo(FakeGeneratorReplica.NO_MODEL_DETAIL));
        TestKeys.asUser().when().get("/api/v1/models")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("detail", equalTo(FakeGeneratorReplica.NO_MODEL_DETAIL));

        assertEquals(1, hits(first, IMAGES));
        assertEquals(1, hits(second, IMAGES));
    }

    @Test
    @Order(8)
    void retriesAReadThatTimesOutOnTheOtherReplica() {
        control(first, "/fake/mode/SLOW");

        for (int i = 0; i < 2; i++) {
            TestKeys.asUser().queryParam("seed", i).when().get("/api/v1/images").then().statusCode(200);
        }

        assertEquals(1, hits(first, IMAGES));
        assertEquals(2, hits(second, IMAGES));
    }

    @Test
    @Order(9)
    void keepsABrokenReplicaOutWithItsOwnBreakerUntilItsDelayHasPassed() throws InterruptedException {
        control(first, "/fake/mode/BROKEN");

        for (int i = 0; i < 6; i++) {
            TestKeys.asUser().queryParam("seed", i).when().get("/api/v1/images").then().statusCode(200);
        }
        int triedWhileBroken = hits(first, IMAGES);
        for (int i = 0; i < 6; i++) {
            TestKeys.asUser().queryParam("seed", i).when().get("/api/v1/images").then().statusCode(200);
        }

        // The window of the last 4 calls opens at 2 failures; it may still hold one from the timeout test.
        assertTrue(triedWhileBroken >= 1 && triedWhileBroken <= 2, "tried while broken: " + triedWhileBroken);
        assertEquals(triedWhileBroken, hits(first, IMAGES), "the open breaker kept the broken replica out");
        assertEquals(12, hits(second, IMAGES), "the other replica's breaker stayed closed");

        control(first, "/fake/mode/SERVE");
        Thread.sleep(5_300);
        for (int i = 0; i < 10; i++) {
            TestKeys.asUser().queryParam("seed", i).when().get("/api/v1/images").then().statusCode(200);
        }

        assertEquals(triedWhileBroken + 5, hits(first, IMAGES), "back in the rotation after the breaker's delay");
    }

    private static void control(String replica, String path) {
        RestAssured.given().baseUri(replica).port(-1).when().post(path).then().statusCode(200);
    }

    private static int hits(String replica, String route) {
        String lines = RestAssured.given().baseUri(replica).port(-1).when().get("/fake/hits")
                .then().statusCode(200).extract().asString();
        Map<String, Integer> counts = Arrays.stream(lines.split("\n")).filter(line -> line.contains("="))
                .collect(Collectors.toMap(line -> line.substring(0, line.lastIndexOf('=')),
                        line -> Integer.parseInt(line.substring(line.lastIndexOf('=') + 1))));
        return counts.getOrDefault(route, 0);
    }

}
