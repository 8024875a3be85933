package io.shipgan.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** A gateway with no keys and no dev keys is closed, not open: every protected route answers 401. */
@QuarkusTest
@TestProfile(NoKeysTest.NoKeys.class)
class NoKeysTest {

    @Test
    void refusesEveryProtectedCallWhateverKeyIsSent() {
        Routes.forEach(Routes.allRoutes(), () -> given(), response -> response.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", GatewaySecurityTest.CHALLENGE));
        Routes.forEach(Routes.allRoutes(), TestKeys::asAdmin, response -> response.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", equalTo("this gateway has no API keys configured and refuses every protected call")));
    }

    @Test
    void healthStaysPublic() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
    }

    /** No keys, dev keys off (the default). */
    public static class NoKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shipgan.gateway.auth.keys", "");
        }
    }
}
