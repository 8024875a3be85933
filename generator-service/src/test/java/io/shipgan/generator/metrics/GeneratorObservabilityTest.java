package io.shipgan.generator.metrics;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.shipgan.generator.testing.Await;
import io.shipgan.generator.testing.CheckpointPublisher;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.ModelsApi;
import io.shipgan.generator.testing.TestCheckpoints;
import io.shipgan.testing.InjectKafkaBroker;
import io.shipgan.testing.KafkaBroker;
import io.shipgan.testing.KafkaBrokerResource;
import io.shipgan.testing.PrometheusScrape;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URL;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Metrics and traces of a generator following the real broker: a checkpoint published with a {@code traceparent}
 * header is handled in a span of that trace, and the Prometheus endpoint counts what was served, swapped and
 * refused. The methods build on each other, in order.
 */
@QuarkusTest
@TestProfile(GeneratorObservabilityTest.FollowingTopic.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratorObservabilityTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Follows the topic, polling often. */
    public static class FollowingTopic implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "shipgan.generator.follow-topic", "true",
                    "shipgan.generator.retry-backoff-initial", "200ms",
                    "shipgan.generator.poll-timeout", "200ms");
        }
    }

    @InjectKafkaBroker
    KafkaBroker broker;

    @Inject
    InMemorySpanExporter spans;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    private static CheckpointPublisher publisher;

    @AfterAll
    static void closePublisher() {
        if (publisher != null) {
            publisher.close();
        }
    }

    @Test
    @Order(1)
    void handlesAPublishedCheckpointInASpanOfThePublishersTrace() {
        publisher = new CheckpointPublisher(broker.bootstrapServers());
        String traceId = randomHex(16);
        String parentSpanId = randomHex(8);
        byte[] onnx = GeneratorModels.dcgan(301).build();
        publisher.publish(TestCheckpoints.metadata(1, onnx), onnx,
                Map.of("traceparent", "00-" + traceId + "-" + parentSpanId + "-01"));

        ModelsApi.awaitActiveVersion(1, WAIT);
        SpanData handled = awaitSpan(traceId);
        assertEquals(parentSpanId, handled.getParentSpanId());
        assertEquals(SpanKind.CONSUMER, handled.getKind());
        assertEquals("shipgan.checkpoints process", handled.getName());
        assertEquals(1L, attribute(handled, "shipgan.checkpoint.version"));
        assertEquals("activated", attribute(handled, "shipgan.checkpoint.outcome"));
    }

    @Test
    @Order(2)
    void countsSamplesByLabelAndShowsTheServedVersion() {
        PrometheusScrape before = scrape();
        double samplesBefore = before.value("shipgan_generator_samples_total", Map.of("label", "none")).orElse(0);

        String served = given().queryParam("count", 5).queryParam("seed", 1).when().get("/api/v1/images")
                .then().statusCode(200).extract().header("X-Model-Version");
        given().queryParam("from", 1).queryParam("to", 2).queryParam("steps", 3)
                .when().get("/api/v1/images/interpolation").then().statusCode(200);
        given().when().get("/api/v1/models/7/pin").then().statusCode(405);

        PrometheusScrape after = scrape();
        assertTrue(after.contentType().startsWith("text/plain"), after.contentType());
        assertEquals(samplesBefore + 8, after.require("shipgan_generator_samples_total", Map.of("label", "none")));
        assertEquals(Double.parseDouble(served), after.require("shipgan_generator_active_model_version"));
        assertEquals(1, after.require("shipgan_generator_model_swaps_total"));
        assertEquals(1, after.require("shipgan_generator_rollout_events_total", Map.of("event", "activated")));
        // Request metrics name the route template, not the query: one series for every seed and count.
        double images = after.require("http_server_requests_seconds_count",
                Map.of("uri", "/api/v1/images", "method", "GET", "status", "200"));
        assertTrue(images >= 1, "image requests counted: " + images);
        assertEquals(1, after.require("http_server_requests_seconds_count",
                Map.of("uri", "/api/v1/models/{version}/pin", "method", "GET", "status", "405")));
        assertEquals(List.of(), after.all("http_server_requests_seconds_count").stream()
                .filter(sample -> sample.labels().getOrDefault("uri", "").matches(".*/models/[^{/]+/pin"))
                .toList());
    }

    @Test
    @Order(3)
    void countsARefusedCheckpointByCauseWhileTheActiveVersionStays() {
        Map<String, String> validation = Map.of("cause", "validation");
        double refusedBefore = scrape().require("shipgan_generator_checkpoints_rejected_total", validation);

        publisher.publishWithWrongSha256(2);

        Await.until("checkpoint 2 counted as refused", WAIT, () -> scrape()
                .require("shipgan_generator_checkpoints_rejected_total", validation) == refusedBefore + 1);
        PrometheusScrape after = scrape();
        assertEquals(1, after.require("shipgan_generator_active_model_version"));
        assertEquals(0, after.require("shipgan_generator_checkpoints_rejected_total", Map.of("cause", "quality-gate")));
        assertEquals(1, after.require("shipgan_generator_rollout_events_total", Map.of("event", "rejected")));
    }

    private PrometheusScrape scrape() {
        return PrometheusScrape.scrape(metrics.toString());
    }

    private SpanData awaitSpan(String traceId) {
        Await.until("a span of trace " + traceId, WAIT, () -> spanOf(traceId).isPresent());
        return spanOf(traceId).orElseThrow();
    }

    private Optional<SpanData> spanOf(String traceId) {
        List<SpanData> finished = spans.getFinishedSpanItems();
        return finished.stream().filter(span -> span.getTraceId().equals(traceId)).findFirst();
    }

    private static Object attribute(SpanData span, String key) {
        return span.getAttributes().asMap().entrySet().stream()
                .filter(entry -> entry.getKey().getKey().equals(key))
                .map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
