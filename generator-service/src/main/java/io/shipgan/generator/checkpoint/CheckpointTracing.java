package io.shipgan.generator.checkpoint;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Continues the trainer's trace into this replica: the follower reads records with a plain consumer, which no
 * instrumentation sees, so the trace context the trainer's producer put into the record headers ({@code
 * traceparent}) is read here and the handling of the checkpoint runs in a consumer span under it.
 */
@ApplicationScoped
public class CheckpointTracing {

    static final String SPAN_NAME = "shipgan.checkpoints process";

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    public CheckpointTracing(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer("io.shipgan.generator");
    }

    /** The trace context the record carries; the root context when it carries none. */
    public Context parentOf(ConsumerRecord<?, ?> record) {
        return openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), record.headers(),
                HEADERS);
    }

    /**
     * Runs the handling of one checkpoint record in a consumer span under {@code parent}, with the record's place,
     * its declared version and what came of it.
     */
    public CheckpointActivation.Outcome traced(Context parent, String topic, CheckpointCandidate candidate,
                                               Supplier<CheckpointActivation.Outcome> handling) {
        Span span = tracer.spanBuilder(SPAN_NAME)
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("shipgan.checkpoint.source", candidate.source())
                .startSpan();
        candidate.declaredVersion().ifPresent(version -> span.setAttribute("shipgan.checkpoint.version", version));
        try (Scope ignored = span.makeCurrent()) {
            CheckpointActivation.Outcome outcome = handling.get();
            span.setAttribute("shipgan.checkpoint.outcome", outcome.name().toLowerCase(Locale.ROOT));
            return outcome;
        } catch (RuntimeException e) {
            span.recordException(e);
            throw e;
        } finally {
            span.end();
        }
    }
}
