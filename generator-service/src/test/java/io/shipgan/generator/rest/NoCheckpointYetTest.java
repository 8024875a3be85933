package io.shipgan.generator.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** A replica that has not loaded any checkpoint: it says so, and is alive but not ready. */
@QuarkusTest
@TestProfile(NoCheckpointYetTest.FreshReplica.class)
class NoCheckpointYetTest {

    /** Its own profile, so that no other test class has activated a checkpoint in this application. */
    public static class FreshReplica implements QuarkusTestProfile {
    }

    @Test
    void answers503WithRetryAfterBeforeAnyCheckpoint() {
        given().queryParam("count", 2)
                .when().get("/api/v1/images")
                .then().statusCode(503)
                .header("Retry-After", "5")
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Service Unavailable"))
                .body("status", equalTo(503))
                .body("detail", equalTo("no checkpoint has been loaded yet; waiting for topic shipgan.checkpoints"));
    }

    @Test
    void stillChecksParametersBeforeAnyCheckpoint() {
        given().queryParam("count", "abc")
                .when().get("/api/v1/images")
                .then().statusCode(400)
                .body("detail", equalTo("query parameter 'count' must be an integer from 1 to 64; got 'abc'"));
    }

    @Test
    void isAliveButNotReady() {
        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks[0].name", equalTo("active-model"))
                .body("checks[0].data.waitingFor", equalTo("topic shipgan.checkpoints"));
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].data.checkpointFollower", equalTo("disabled"));
    }

    @Test
    void showsNoActiveModel() {
        given().when().get("/api/v1/models")
                .then().statusCode(200)
                .body("modelName", equalTo("shipgan-dcgan"))
                .body("active", nullValue())
                .body("rejected.size()", equalTo(0));
    }
}
