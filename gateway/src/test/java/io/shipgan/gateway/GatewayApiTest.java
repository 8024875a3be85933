package io.shipgan.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static io.restassured.RestAssured.given;
import static io.shipgan.gateway.TestKeys.asAdmin;
import static io.shipgan.gateway.TestKeys.asUser;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(value = FakeGeneratorResource.class, restrictToAnnotatedClass = true)
class GatewayApiTest {

    @Test
    void relaysImageBytesAndProvenanceHeaders() {
        Response response = asUser().queryParam("count", 4).queryParam("seed", 7)
                .when().get("/api/v1/images")
                .then().statusCode(200)
                .contentType("image/png")
                .header("X-Model-Version", "12")
                .header("X-Seed", equalTo("count=4&seed=7"))
                .extract().response();

        assertArrayEquals(FakeGeneratorResource.IMAGE, response.asByteArray());
    }

    @Test
    void defaultsCountToOneAndLeavesSeedToGenerator() {
        asUser().when().get("/api/v1/images")
                .then().statusCode(200).header("X-Seed", equalTo("count=1"));
    }

    @Test
    void rejectsCountOutOfRangeNamingTheParameter() {
        for (String count : new String[] {"0", "65", "-3", "99999999999"}) {
            asUser().queryParam("count", count)
                    .when().get("/api/v1/images")
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("detail", containsString("'count' must be from 1 to 64"));
        }
    }

    @Test
    void rejectsNonNumericParameters() {
        asUser().queryParam("count", "abc").when().get("/api/v1/images")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("'count' must be an integer"));
        asUser().queryParam("seed", "xyz").when().get("/api/v1/images")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("'seed' must be an integer"));
    }

    @Test
    void rejectsRepeatedParameter() {
        asUser().queryParam("count", 1, 2).when().get("/api/v1/images")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("'count' was given 2 times"));
    }

    @Test
    void passesGeneratorUnavailableThrough() {
        asUser().queryParam("seed", 503).when().get("/api/v1/images")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("detail", containsString("no checkpoint"));
    }

    @Test
    void turnsAGeneratorServerErrorIntoA502ProblemWithoutItsBody() {
        asUser().queryParam("seed", 500).when().get("/api/v1/images")
                .then().statusCode(502)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("detail", equalTo("a backend failed to answer this request (it said 500); try again shortly"))
                .body(not(containsString("Exception")))
                .body(not(containsString("127.0.0.1")));
    }

    @Test
    void relaysTheTrainersStatusHistoryAndPictures() {
        asUser().when().get("/api/v1/training")
                .then().statusCode(200)
                .contentType("application/json")
                .body("state", equalTo("TRAINING"))
                .body("scores.ship_rate", equalTo(0.75f));
        asUser().when().get("/api/v1/training/history")
                .then().statusCode(200)
                .body("[0].step", equalTo(10));
        for (String picture : new String[] {"/api/v1/training/curves.png",
            "/api/v1/training/checkpoints/7/samples.png"}) {
            byte[] png = asUser().when().get(picture)
                    .then().statusCode(200)
                    .contentType("image/png")
                    .header("Cache-Control", "no-cache")
                    .extract().asByteArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(FakeGeneratorResource.IMAGE, png, picture);
        }
        asUser().when().get("/api/v1/training/checkpoints/99/samples.png")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("no sample grid for checkpoint 99"));
    }

    @Test
    void checksTheCheckpointVersionOfASampleGridItself() {
        for (String version : new String[] {"0", "-3", "abc", "99999999999999999999"}) {
            asUser().when().get("/api/v1/training/checkpoints/" + version + "/samples.png")
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("version"));
        }
        asUser().queryParam("size", 2).when().get("/api/v1/training/curves.png")
                .then().statusCode(400)
                .body("detail", containsString("size"));
    }

    @Test
    void relaysAStartWithTheTrainersStatusAndARefusedStopAsAProblemNamingTheState() {
        asAdmin().when().post("/api/v1/training/start")
                .then().statusCode(202)
                .body("step", equalTo(12));
        asAdmin().when().post("/api/v1/training/stop")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("detail", equalTo("cannot stop the training: it is not running (state IDLE)"));
    }

    @Test
    void relaysNpyForFormatNpyWithItsHeaders() {
        Response response = asUser().queryParam("seed", 7).queryParam("format", "NPY")
                .when().get("/api/v1/images")
                .then().statusCode(200)
                .contentType("application/x-npy")
                .header("X-Model-Version", "12")
                .header("X-Seed", equalTo("count=1&seed=7&format=npy"))
                .header("X-Label", "ship")
                .header("Content-Disposition", "attachment; filename=\"fake.npy\"")
                .extract().response();

        assertArrayEquals(FakeGeneratorResource.NPY, response.asByteArray());
    }

    @Test
    void relaysTheAcceptHeaderSoThatItCanAskForNpy() {
        Response response = asUser().accept("application/x-npy").queryParam("seed", 7)
                .when().get("/api/v1/images")
                .then().statusCode(200)
                .contentType("application/x-npy")
                .extract().response();

        assertArrayEquals(FakeGeneratorResource.NPY, response.asByteArray());
    }

    @Test
    void relaysTheLabelAndTheLabelHeader() {
        asUser().queryParam("seed", 7).queryParam("label", "no-ship")
                .when().get("/api/v1/images")
                .then().statusCode(200)
                .contentType("image/png")
                .header("X-Seed", equalTo("count=1&seed=7&label=no-ship"))
                .header("X-Label", "no-ship");
    }

    @Test
    void passesTheGeneratorsRefusalOfAnUnknownLabelThrough() {
        asUser().queryParam("label", "cat")
                .when().get("/api/v1/images")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("detail", equalTo(FakeGeneratorResource.UNKNOWN_LABEL_DETAIL));
        asUser().queryParam("from", 1).queryParam("to", 2).queryParam("label", "cat")
                .when().get("/api/v1/images/interpolation")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("detail", equalTo(FakeGeneratorResource.UNKNOWN_LABEL_DETAIL));
    }

    @Test
    void rejectsALabelThatIsNoLabelName() {
        for (String label : new String[] {"", "no ship", "-ship", "x".repeat(65), "ship\u00e9"}) {
            asUser().queryParam("label", label)
                    .when().get("/api/v1/images")
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", startsWith("parameter 'label' must be a label name: 1 to 64 letters"));
        }
    }

    @Test
    void rejectsAnUnknownFormatAndAnUnknownMode() {
        asUser().queryParam("format", "jpg").when().get("/api/v1/images")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("parameter 'format' must be one of png, npy, was 'jpg'"));
        asUser().queryParam("from", 1).queryParam("to", 2).queryParam("mode", "cubic")
                .when().get("/api/v1/images/interpolation")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("parameter 'mode' must be one of slerp, lerp, was 'cubic'"));
    }

    @Test
    void rejectsUnknownParametersNamingThem() {
        asUser().queryParam("cnt", 3).when().get("/api/v1/images")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("unknown parameter 'cnt'; this route takes count, seed, label, format"));
        asUser().queryParam("from", 1).queryParam("to", 2).queryParam("seed", 3)
                .when().get("/api/v1/images/interpolation")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("unknown parameter 'seed'; this route takes from, to, steps, mode, label, "
                        + "format"));
        asUser().queryParam("since", 3).when().get("/api/v1/models/events")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("unknown parameter 'since'; this route takes no parameters"));
    }

    @Test
    void relaysAnInterpolationWithItsParametersAndHeaders() {
        String body = asUser().accept("image/png")
                .queryParam("from", -5).queryParam("to", 9).queryParam("steps", 4).queryParam("mode", "LERP")
                .queryParam("label", "no-ship")
                .when().get("/api/v1/images/interpolation")
                .then().statusCode(200)
                .contentType("image/png")
                .header("X-Model-Version", "12")
                .header("X-Label", "no-ship")
                .extract().asString();

        assertEquals("query=from=-5&to=9&steps=4&mode=lerp&label=no-ship;accept=image/png", body);
    }

    @Test
    void leavesInterpolationDefaultsToTheGeneratorAndRelaysNpy() {
        asUser().accept("application/x-npy").queryParam("from", 1).queryParam("to", 2)
                .when().get("/api/v1/images/interpolation")
                .then().statusCode(200)
                .contentType("application/x-npy")
                .header("Content-Disposition", "attachment; filename=\"fake.npy\"")
                .body(equalTo("query=from=1&to=2;accept=application/x-npy"));
    }

    @Test
    void rejectsAnInterpolationWithoutBothSeedsOrWithStepsOutOfRange() {
        asUser().queryParam("to", 2).when().get("/api/v1/images/interpolation")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("parameter 'from' is required: an integer from " + Long.MIN_VALUE + " to "
                        + Long.MAX_VALUE));
        asUser().queryParam("from", 1).when().get("/api/v1/images/interpolation")
                .then().statusCode(400)
                .body("detail", startsWith("parameter 'to' is required"));
        for (String steps : new String[] {"1", "65"}) {
            asUser().queryParam("from", 1).queryParam("to", 2).queryParam("steps", steps)
                    .when().get("/api/v1/images/interpolation")
                    .then().statusCode(400)
                    .body("detail", equalTo("parameter 'steps' must be from 2 to 64, was " + steps));
        }
        asUser().queryParam("from", 1).queryParam("to", 2).queryParam("label", "ship", "no-ship")
                .when().get("/api/v1/images/interpolation")
                .then().statusCode(400)
                .body("detail", equalTo("parameter 'label' was given 2 times; give it once"));
    }

    @Test
    void relaysTheModelsViewAndTheRolloutEvents() {
        asUser().when().get("/api/v1/models")
                .then().statusCode(200).contentType("application/json")
                .body("active.labels", equalTo(List.of("ship", "no-ship")));
        String events = asUser().when().get("/api/v1/models/events")
                .then().statusCode(200).contentType("application/json")
                .extract().asString();

        assertEquals(FakeGeneratorResource.EVENTS, events);
    }

    @Test
    void pinsAVersionAndPassesTheGeneratorsRefusalsThrough() {
        asAdmin().when().post("/api/v1/models/7/pin")
                .then().statusCode(200).contentType("application/json")
                .body("policy.mode", equalTo("pinned"))
                .body("policy.pinnedVersion", equalTo(7));
        asAdmin().when().post("/api/v1/models/404/pin")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("version 404 is unknown to this replica"));
        asAdmin().when().post("/api/v1/models/409/pin")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("version 409 was rejected: quality gate"));
    }

    @Test
    void rejectsAPinVersionThatIsNotANonNegativeInteger() {
        asAdmin().when().post("/api/v1/models/abc/pin")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("path parameter 'version' must be an integer from 0 to " + Long.MAX_VALUE
                        + ", was 'abc'"));
        asAdmin().when().post("/api/v1/models/-1/pin")
                .then().statusCode(400)
                .body("detail", equalTo("path parameter 'version' must be an integer from 0 to " + Long.MAX_VALUE
                        + ", was -1"));
    }

    @Test
    void liftsThePin() {
        asAdmin().when().delete("/api/v1/models/pin")
                .then().statusCode(200).contentType("application/json")
                .body("policy.mode", equalTo("follow-latest"));
    }

    @Test
    void relaysARollbackWithItsBody() {
        String reason = "{\"reason\": \"blurry hulls\"}";
        asAdmin().contentType("application/json").body(reason)
                .when().post("/api/v1/models/rollback")
                .then().statusCode(200).contentType("application/json")
                .body("receivedBody", equalTo(base64(reason)))
                .body("receivedType", startsWith("application/json"));
        asAdmin().when().post("/api/v1/models/rollback")
                .then().statusCode(200)
                .body("receivedBody", equalTo(""));
    }

    @Test
    void passesARefusedRollbackThroughAndRefusesAHugeBody() {
        asAdmin().contentType("application/json").body("{\"reason\": \"conflict\"}")
                .when().post("/api/v1/models/rollback")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("nothing earlier on disk to roll back to"));
        asAdmin().contentType("application/json").body("{\"reason\": \"" + "x".repeat(3000) + "\"}")
                .when().post("/api/v1/models/rollback")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("the body must be at most 2048 characters"));
    }

    @Test
    void refusesTheWrongMethodWithAProblem() {
        asUser().when().get("/api/v1/models/rollback")
                .then().statusCode(405).contentType("application/problem+json");
        asUser().when().get("/api/v1/models/7/pin")
                .then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void unknownPathIsProblemJson() {
        asUser().when().get("/api/v1/nothing-here")
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void readinessIsUp() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
