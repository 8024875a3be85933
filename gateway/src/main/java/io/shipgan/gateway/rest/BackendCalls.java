package io.shipgan.gateway.rest;

import io.micrometer.core.instrument.Metrics;
import io.quarkus.logging.Log;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import java.util.function.Supplier;

/** One place that calls a backend and says, without internal addresses, what went wrong when it cannot answer. */
final class BackendCalls {

    /** Prometheus: {@code shipgan_gateway_backend_failures_total{backend, kind}}. */
    static final String FAILURES = "shipgan.gateway.backend.failures";
    /** No connection, or none within the timeouts. */
    static final String UNREACHABLE = "unreachable";
    /** The backend answered with a 5xx status (e.g. a generator's 503 before its first model). */
    static final String SERVER_ERROR = "server-error";

    private BackendCalls() {
    }

    /**
     * Calls the backend; a refused or timed-out connection becomes a 503 problem naming only the role
     * ("generator", "trainer") of the backend. Both that and a 5xx answer are counted as backend failures.
     */
    static Response call(String role, int retryAfterSeconds, Supplier<Response> call) {
        Response response;
        try {
            response = call.get();
        } catch (ProcessingException e) {
            countFailure(role, UNREACHABLE);
            Log.warnf("%s unreachable: %s", role, e.getMessage());
            throw new ProblemException(Problem.unavailable("the " + role + " is not reachable; try again shortly"),
                    retryAfterSeconds);
        }
        if (response.getStatus() >= 500) {
            countFailure(role, SERVER_ERROR);
        }
        return response;
    }

    /**
     * Counts a call the backend could not answer well. The registry is Micrometer's global one, to which Quarkus
     * adds its Prometheus registry: these helpers are static and serve every resource.
     */
    private static void countFailure(String role, String kind) {
        Metrics.counter(FAILURES, "backend", role, "kind", kind).increment();
    }

    /** Passes a backend's response on: its status, body, content type and the listed headers. */
    static Response relay(Response backend, String... headers) {
        Response.ResponseBuilder builder = Response.status(backend.getStatus());
        if (backend.getMediaType() != null) {
            builder.type(backend.getMediaType());
        }
        for (String header : headers) {
            String value = backend.getHeaderString(header);
            if (value != null) {
                builder.header(header, value);
            }
        }
        byte[] body = backend.hasEntity() ? backend.readEntity(byte[].class) : new byte[0];
        return builder.entity(body).build();
    }
}
