package io.shipgan.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-key rate limits, with keys read from a keys file: a user key gets its burst of 3, then 429 with
 * {@code Retry-After}, and a request again once a token has refilled; other keys keep their own buckets.
 */
@QuarkusTest
@TestProfile(RateLimitTest.LowLimits.class)
@QuarkusTestResource(value = FakeGeneratorResource.class, restrictToAnnotatedClass = true)
class RateLimitTest {

    static final String USER_A = "rate-test-user-a";
    static final String USER_B = "rate-test-user-b";
    static final String ADMIN = "rate-test-admin";

    @Test
    void userKeyGets429WithRetryAfterAfterItsBurstAndServesAgainAfterTheWait() throws Exception {
        Response refused = exhaust(USER_A, 3, 1);

        refused.then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("status", equalTo(429))
                .body("title", equalTo("Too many requests"))
                .body("detail", equalTo("the API key 'user-a' made more requests than its rate limit allows; "
                        + "retry after 1 s"));
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertEquals(1, retryAfter, "a token refills within a second at 1 request/s");

        image(USER_B).then().statusCode(200);
        Thread.sleep(retryAfter * 1000L);
        image(USER_A).then().statusCode(200);
    }

    @Test
    void adminKeyHasTheAdminBurst() {
        exhaust(ADMIN, 5, 2).then().statusCode(429).header("Retry-After", equalTo("1"));
    }

    @Test
    void requestsWithoutOrWithAWrongKeyAreRefusedBeforeAnyLimit() {
        for (int i = 0; i < 10; i++) {
            given().when().get("/api/v1/models").then().statusCode(401);
            given().header(TestKeys.HEADER, "wrong").when().get("/api/v1/models").then().statusCode(401);
        }
    }

    /**
     * Asks with {@code key} until refused, asserting that the bucket let through its burst and no more than the
     * tokens that can have refilled meanwhile.
     *
     * @return the first refusal
     */
    private static Response exhaust(String key, int burst, int perSecond) {
        long start = System.nanoTime();
        int served = 0;
        Response response = image(key);
        while (response.statusCode() == 200 && served <= 100) {
            served++;
            response = image(key);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        assertTrue(served >= burst && served <= burst + seconds * perSecond,
                served + " requests served in " + seconds + " s with a burst of " + burst + " at " + perSecond + "/s");
        return response;
    }

    private static Response image(String key) {
        return given().header(TestKeys.HEADER, key).queryParam("seed", 1).when().get("/api/v1/images");
    }

    /** Three keys in a keys file, a user burst of 3 at 1 request/s and an admin burst of 5 at 2 requests/s. */
    public static class LowLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("shipgan-keys-", ".txt");
                file.toFile().deleteOnExit();
                Files.writeString(file, "# keys of RateLimitTest\n\n"
                        + "user-a:user:" + GatewaySecurityTest.sha256Hex(USER_A) + "\n"
                        + "  user-b : user : " + GatewaySecurityTest.sha256Hex(USER_B).toUpperCase() + "\n"
                        + "ops:admin:" + GatewaySecurityTest.sha256Hex(ADMIN) + "\n");
                return Map.of(
                        "shipgan.gateway.auth.keys", "",
                        "shipgan.gateway.auth.keys-file", file.toString(),
                        "shipgan.gateway.rate-limit.user.requests-per-second", "1",
                        "shipgan.gateway.rate-limit.user.burst", "3",
                        "shipgan.gateway.rate-limit.admin.requests-per-second", "2",
                        "shipgan.gateway.rate-limit.admin.burst", "5");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
