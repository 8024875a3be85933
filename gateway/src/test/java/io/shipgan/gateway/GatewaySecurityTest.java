package io.shipgan.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static io.restassured.RestAssured.given;
import static io.shipgan.gateway.TestKeys.asAdmin;
import static io.shipgan.gateway.TestKeys.asUser;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API keys and roles on every route, the public routes, body size and error bodies, with the test keys. */
@QuarkusTest
@QuarkusTestResource(value = FakeGeneratorResource.class, restrictToAnnotatedClass = true)
class GatewaySecurityTest {

    static final String CHALLENGE = "ApiKey realm=\"shipgan\", header=\"X-API-Key\"";

    @Test
    void configurationHoldsOnlyTheSha256OfTheTestKeys() throws Exception {
        String keys = ConfigProvider.getConfig().getValue("shipgan.gateway.auth.keys", String.class);

        assertTrue(keys.contains("test-user:user:" + sha256Hex(TestKeys.USER)), keys);
        assertTrue(keys.contains("test-admin:admin:" + sha256Hex(TestKeys.ADMIN)), keys);
        assertTrue(!keys.contains(TestKeys.USER) && !keys.contains(TestKeys.ADMIN), "no plain key in the config");
    }

    @Test
    void everyProtectedRouteRefusesARequestWithoutKey() {
        Routes.forEach(Routes.allRoutes(), () -> given(), response -> response.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", CHALLENGE)
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"))
                .body("detail", equalTo("this route needs an API key in the X-API-Key header")));
    }

    @Test
    void everyProtectedRouteRefusesAWrongKey() {
        for (String wrong : new String[] {"not-a-key", TestKeys.USER + "x", TestKeys.USER.substring(1),
            sha256Hex(TestKeys.ADMIN)}) {
            Routes.forEach(Routes.allRoutes(), () -> given().header(TestKeys.HEADER, wrong), response -> response
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", CHALLENGE)
                    .body("detail", equalTo("the API key in X-API-Key is not valid")));
        }
    }

    @Test
    void userKeyIsForbiddenOnEveryRouteThatChangesState() {
        Routes.forEach(Routes.adminRoutes(), TestKeys::asUser, response -> response.then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403))
                .body("title", equalTo("Forbidden"))
                .body("detail", equalTo("the API key 'test-user' may not use this route; changing the rollout or "
                        + "the training needs a key with the admin role")));
    }

    @Test
    void userKeyReadsAndSamplesOnEveryUserRoute() {
        Routes.forEach(Routes.userRoutes(), TestKeys::asUser, response -> response.then().statusCode(200));
    }

    @Test
    void adminKeyMayDoEverything() {
        Routes.forEach(Routes.userRoutes(), TestKeys::asAdmin, response -> response.then().statusCode(200));
        asAdmin().when().post("/api/v1/models/7/pin").then().statusCode(200).body("policy.pinnedVersion", equalTo(7));
        asAdmin().when().delete("/api/v1/models/pin").then().statusCode(200);
        asAdmin().contentType("application/json").body("{}").when().post("/api/v1/models/rollback")
                .then().statusCode(200);
        asAdmin().when().post("/api/v1/training/start").then().statusCode(202);
        asAdmin().when().post("/api/v1/training/stop").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("cannot stop the training: it is not running (state IDLE)"));
    }

    @Test
    void healthOpenApiSwaggerUiAndStaticFilesNeedNoKey() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/images"));
        given().when().get("/q/swagger-ui/").then().statusCode(200).contentType(containsString("text/html"));
        given().when().get("/public-check.txt").then().statusCode(200)
                .body(equalTo("a static file of the gateway's tests\n"));
        // A wrong key on a public route is not looked at.
        given().header(TestKeys.HEADER, "not-a-key").when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void oversizedBodyIs413Problem() {
        byte[] oversized = ("{\"reason\": \"" + "x".repeat(20_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        asAdmin().contentType("application/json").body(oversized)
                .when().post("/api/v1/models/rollback")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("detail", equalTo("the request body is larger than 16384 bytes"));
        // Sent in chunks, the body's length is known only once read.
        asAdmin().contentType("application/json").body(new ByteArrayInputStream(oversized))
                .when().post("/api/v1/models/rollback")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413));
    }

    @Test
    void unknownRouteWrongMethodAndUnacceptableTypeAreProblemsWithoutInternals() {
        assertCleanProblem(asUser().when().get("/api/v1/nothing-here"), 404);
        assertCleanProblem(given().when().get("/nothing-here"), 404);
        assertCleanProblem(asUser().when().put("/api/v1/images"), 405);
        assertCleanProblem(asAdmin().when().get("/api/v1/models/rollback"), 405);
        assertCleanProblem(asUser().accept("text/html").when().get("/api/v1/models"), 406);
        assertCleanProblem(asUser().contentType("application/xml").body("<x/>").when().post("/api/v1/images"), 405);
    }

    private static void assertCleanProblem(Response response, int status) {
        response.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body(allOf(not(containsString("Exception")), not(containsString("\tat ")),
                        not(containsString("127.0.0.1")), not(containsString("localhost"))));
    }

    static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
