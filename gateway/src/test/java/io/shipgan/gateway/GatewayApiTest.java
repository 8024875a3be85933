package io.shipgan.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

@QuarkusTest
@QuarkusTestResource(value = FakeGeneratorResource.class, restrictToAnnotatedClass = true)
class GatewayApiTest {

    @Test
    void relaysImageBytesAndProvenanceHeaders() {
        Response response = given().queryParam("count", 4).queryParam("seed", 7)
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
        given().when().get("/api/v1/images")
                .then().statusCode(200).header("X-Seed", equalTo("count=1"));
    }

    @Test
    void rejectsCountOutOfRangeNamingTheParameter() {
        for (String count : new String[] {"0", "65", "-3", "99999999999"}) {
            given().queryParam("count", count)
                    .when().get("/api/v1/images")
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("detail", containsString("'count' must be from 1 to 64"));
        }
    }

    @Test
    void rejectsNonNumericParameters() {
        given().queryParam("count", "abc").when().get("/api/v1/images")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("'count' must be an integer"));
        given().queryParam("seed", "xyz").when().get("/api/v1/images")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("'seed' must be an integer"));
    }

    @Test
    void rejectsRepeatedParameter() {
        given().queryParam("count", 1, 2).when().get("/api/v1/images")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("'count' was given 2 times"));
    }

    @Test
    void passesGeneratorUnavailableThrough() {
        given().queryParam("seed", 503).when().get("/api/v1/images")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("detail", containsString("no checkpoint"));
    }

    @Test
    void unreachableTrainerIs503WithoutInternalAddress() {
        given().when().get("/api/v1/training")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("detail", equalTo("the trainer is not reachable; try again shortly"))
                .body(not(containsString("127.0.0.1")));
    }

    @Test
    void unknownPathIsProblemJson() {
        given().when().get("/api/v1/nothing-here")
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void readinessIsUp() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
