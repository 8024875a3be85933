package io.shipgan.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shipgan.testing.PrometheusScrape;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's traces and metrics against the stand-in generator: the call to the generator carries the trace of
 * the request that caused it, and the Prometheus endpoint counts requests by route template and status and the
 * backend's failures.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeGeneratorResource.class, restrictToAnnotatedClass = true)
class GatewayObservabilityTest {

    private static final Pattern TRACEPARENT = Pattern.compile("traceparent=00-([0-9a-f]{32})-([0-9a-f]{16})-01");

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Test
    void callsTheGeneratorWithinTheTraceOfTheIncomingRequest() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpanId = "00f067aa0ba902b7";

        String seen = TestKeys.asUser().header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01")
                .queryParam("from", 1).queryParam("to", 2).queryParam("label", FakeGeneratorResource.TRACE_LABEL)
                .when().get("/api/v1/images/interpolation")
                .then().statusCode(200).extract().asString();

        Matcher outgoing = TRACEPARENT.matcher(seen);
        assertTrue(outgoing.matches(), "the generator got no W3C traceparent: " + seen);
        assertEquals(traceId, outgoing.group(1));
        // The gateway's own client span is the parent the generator sees, not the caller's span.
        assertNotEquals(callerSpanId, outgoing.group(2));
    }

    @Test
    void startsATraceForARequestThatCarriesNone() {
        String first = TestKeys.asUser().queryParam("from", 1).queryParam("to", 2)
                .queryParam("label", FakeGeneratorResource.TRACE_LABEL)
                .when().get("/api/v1/images/interpolation").then().statusCode(200).extract().asString();
        String second = TestKeys.asUser().queryParam("from", 1).queryParam("to", 2)
                .queryParam("label", FakeGeneratorResource.TRACE_LABEL)
                .when().get("/api/v1/images/interpolation").then().statusCode(200).extract().asString();

        Matcher firstTrace = TRACEPARENT.matcher(first);
        Matcher secondTrace = TRACEPARENT.matcher(second);
        assertTrue(firstTrace.matches() && secondTrace.matches(), first + " / " + second);
        assertNotEquals(firstTrace.group(1), secondTrace.group(1));
    }

    @Test
    void countsRequestsByRouteTemplateAndStatusAndTheGeneratorsFailures() {
        Map<String, String> images200 = Map.of("uri", "/api/v1/images", "method", "GET", "status", "200");
        Map<String, String> images400 = Map.of("uri", "/api/v1/images", "method", "GET", "status", "400");
        Map<String, String> pin404 = Map.of("uri", "/api/v1/models/{version}/pin", "method", "POST", "status", "404");
        Map<String, String> generatorErrors = Map.of("backend", "generator", "kind", "server-error");
        PrometheusScrape before = scrape();

        for (int seed = 1; seed <= 3; seed++) {
            TestKeys.asUser().queryParam("seed", seed).when().get("/api/v1/images").then().statusCode(200);
        }
        TestKeys.asAdmin().queryParam("count", 0).when().get("/api/v1/images").then().statusCode(400);
        TestKeys.asAdmin().queryParam("seed", 503).when().get("/api/v1/images").then().statusCode(503);
        TestKeys.asAdmin().when().post("/api/v1/models/404/pin").then().statusCode(404);
        TestKeys.asUser().when().get("/api/v1/models/9/pin").then().statusCode(405);

        PrometheusScrape after = scrape();
        assertEquals(3, increase(before, after, "http_server_requests_seconds_count", images200));
        assertEquals(1, increase(before, after, "http_server_requests_seconds_count", images400));
        assertEquals(1, increase(before, after, "http_server_requests_seconds_count", pin404));
        assertEquals(1, increase(before, after, "http_server_requests_seconds_count",
                Map.of("uri", "/api/v1/models/{version}/pin", "method", "GET", "status", "405")));
        assertEquals(1, increase(before, after, "shipgan_gateway_backend_failures_total", generatorErrors));
        assertTrue(after.require("http_server_requests_seconds_max", images200) > 0);
        // The generator replicas' clients are built per replica (client/GeneratorReplicas), without a config key.
        assertEquals(3, increase(before, after, "http_client_requests_seconds_count",
                Map.of("clientName", "none", "uri", "/api/v1/images", "status", "200")));
        List<PrometheusScrape.Sample> perVersion = after.all("http_server_requests_seconds_count").stream()
                .filter(sample -> sample.labels().getOrDefault("uri", "").matches(".*/models/\\d+/.*"))
                .toList();
        assertEquals(List.of(), perVersion, "a version number made its own series");
    }

    private PrometheusScrape scrape() {
        return PrometheusScrape.scrape(metrics.toString());
    }

    /** How much a counter rose between two scrapes; a series not there before started at 0. */
    static double increase(PrometheusScrape before, PrometheusScrape after, String name, Map<String, String> labels) {
        return after.require(name, labels) - before.value(name, labels).orElse(0);
    }
}
