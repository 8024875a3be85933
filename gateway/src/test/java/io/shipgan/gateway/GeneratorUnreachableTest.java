package io.shipgan.gateway;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.shipgan.testing.PrometheusScrape;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;
import java.util.function.Function;

import static io.shipgan.gateway.TestKeys.asAdmin;
import static io.shipgan.gateway.TestKeys.asUser;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With no backend listening, every generator and trainer route answers 503 with Retry-After and no internal
 * address.
 */
@QuarkusTest
@TestProfile(GeneratorUnreachableTest.NoGenerator.class)
class GeneratorUnreachableTest {

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Test
    void everyGeneratorRouteIs503WithRetryAfter() {
        Map<String, Function<RequestSpecification, Response>> routes = Map.of(
                "images", request -> request.queryParam("label", "ship").get("/api/v1/images"),
                "interpolation", request -> request.queryParam("from", 1).queryParam("to", 2)
                        .get("/api/v1/images/interpolation"),
                "models", request -> request.get("/api/v1/models"),
                "events", request -> request.get("/api/v1/models/events"),
                "pin", request -> request.post("/api/v1/models/3/pin"),
                "unpin", request -> request.delete("/api/v1/models/pin"),
                "rollback", request -> request.body("{}").contentType("application/json")
                        .post("/api/v1/models/rollback"));

        assertEveryRouteUnavailable(routes, "generator");
    }

    @Test
    void everyTrainerRouteIs503WithRetryAfter() {
        Map<String, Function<RequestSpecification, Response>> routes = Map.of(
                "status", request -> request.get("/api/v1/training"),
                "history", request -> request.get("/api/v1/training/history"),
                "curves", request -> request.get("/api/v1/training/curves.png"),
                "samples", request -> request.get("/api/v1/training/checkpoints/3/samples.png"),
                "start", request -> request.post("/api/v1/training/start"),
                "stop", request -> request.post("/api/v1/training/stop"));

        assertEveryRouteUnavailable(routes, "trainer");
    }

    @Test
    void countsEveryUnreachableCallAsABackendFailure() {
        Map<String, String> unreachable = Map.of("backend", "generator", "kind", "unreachable");
        PrometheusScrape before = PrometheusScrape.scrape(metrics.toString());

        asUser().when().get("/api/v1/models").then().statusCode(503);
        asUser().queryParam("seed", 1).when().get("/api/v1/images").then().statusCode(503);

        PrometheusScrape after = PrometheusScrape.scrape(metrics.toString());
        assertEquals(2, GatewayObservabilityTest.increase(before, after, "shipgan_gateway_backend_failures_total",
                unreachable));
    }

    private static void assertEveryRouteUnavailable(Map<String, Function<RequestSpecification, Response>> routes,
                                                    String role) {
        for (var route : routes.entrySet()) {
            try {
                route.getValue().apply(asAdmin().when())
                        .then().statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", "5")
                        .body("detail", equalTo("the " + role + " is not reachable; try again shortly"))
                        .body(not(containsString("127.0.0.1")));
            } catch (AssertionError e) {
                throw new AssertionError(route.getKey() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Points the gateway at two generator replicas and a trainer on loopback ports nothing listens on. */
    public static class NoGenerator implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.stork.generator.service-discovery.address-list",
                    "127.0.0.1:" + FakeGeneratorResource.closedPort() + ",127.0.0.1:"
                            + FakeGeneratorResource.closedPort(),
                    "shipgan.trainer-url", "http://127.0.0.1:" + FakeGeneratorResource.closedPort());
        }
    }
}
