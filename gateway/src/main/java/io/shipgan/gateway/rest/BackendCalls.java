package io.shipgan.gateway.rest;

import io.micrometer.core.instrument.Metrics;
import io.quarkus.logging.Log;
import io.shipgan.gateway.client.GeneratorClient;
import io.shipgan.gateway.client.GeneratorReplicas;
import io.shipgan.gateway.client.GeneratorReplicas.NoReplicaAnswered;
import io.shipgan.gateway.client.GeneratorReplicas.ReplicaAnswer;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** One place that calls a backend and says, without internal addresses, what went wrong when it cannot answer. */
final class BackendCalls {

    private static final String GENERATOR = "generator";

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
            throw unreachable(role, retryAfterSeconds);
        }
        if (response.getStatus() >= 500) {
            countFailure(role, SERVER_ERROR);
        }
        return response;
    }

    /**
     * A read any generator replica can serve (see {@link GeneratorReplicas#read}). When every replica it reached
     * had no model yet, the last one's own 503 problem is passed on, with a {@code Retry-After}; when none could be
     * reached, a 503 problem naming only the role. Both count as backend failures.
     */
    static Response readFromGenerator(GeneratorReplicas generators, int retryAfterSeconds,
                                      Function<GeneratorClient, Response> call, String... headers) {
        try {
            return relay(generators.read(call), retryAfterSeconds, headers);
        } catch (NoReplicaAnswered e) {
            Log.warnf("no generator replica could serve a read: %s", e.getMessage());
            if (e.lastUnavailable() == null) {
                countFailure(GENERATOR, UNREACHABLE);
                throw unreachable(GENERATOR, retryAfterSeconds);
            }
            countFailure(GENERATOR, SERVER_ERROR);
            return relay(e.lastUnavailable(), retryAfterSeconds, headers);
        }
    }

    /**
     * A rollout operation for every generator replica (see {@link GeneratorReplicas#everyReplica}). When all of
     * them give the same status, the first one's answer is passed on: the models view after a success, the
     * generator's own problem after a refusal they agree on. When they disagree, or some cannot be reached, the
     * answer is a 502 problem saying how many replicas failed (503 with {@code Retry-After} when none was reached).
     *
     * @param operation what was asked, for the problem's detail, e.g. "pin of version 7"
     */
    static Response everyGenerator(GeneratorReplicas generators, int retryAfterSeconds, String operation,
                                   Function<GeneratorClient, Response> call) {
        List<ReplicaAnswer> answers = generators.everyReplica(call);
        try {
            long reached = answers.stream().filter(ReplicaAnswer::reached).count();
            if (reached < answers.size()) {
                countFailure(GENERATOR, UNREACHABLE);
            }
            if (reached == 0) {
                throw unreachable(GENERATOR, retryAfterSeconds);
            }
            int firstStatus = answers.get(0).reached() ? answers.get(0).response().getStatus() : -1;
            boolean agreed = answers.stream().allMatch(a -> a.reached() && a.response().getStatus() == firstStatus);
            if (agreed) {
                return relay(answers.get(0).response(), retryAfterSeconds);
            }
            long succeeded = answers.stream().filter(a -> a.reached() && a.response().getStatus() / 100 == 2).count();
            long failed = answers.size() - succeeded;
            Log.warnf("%s failed on %d of %d generator replicas (%d not reachable)", operation, failed,
                    answers.size(), answers.size() - reached);
            Problem problem = new Problem("urn:shipgan:problem:partial-rollout", "Not every replica applied it", 502,
                    operation + " failed on " + failed + " of " + answers.size() + " generator replicas ("
                            + (answers.size() - reached) + " not reachable, " + (reached - succeeded)
                            + " refused it); the replicas may now disagree: check GET /api/v1/models and repeat the"
                            + " operation");
            throw new ProblemException(problem, reached < answers.size() ? retryAfterSeconds : null);
        } finally {
            answers.stream().filter(ReplicaAnswer::reached).forEach(a -> a.response().close());
        }
    }

    /**
     * Counts a call the backend could not answer well. The registry is Micrometer's global one, to which Quarkus
     * adds its Prometheus registry: these helpers are static and serve every resource.
     */
    private static void countFailure(String role, String kind) {
        Metrics.counter(FAILURES, "backend", role, "kind", kind).increment();
    }

    /**
     * Passes a backend's response on: its status, body, content type and the listed headers. A backend's server
     * error is never passed on as it came, whatever it holds (a stack trace, an internal address): a 503 keeps its
     * body only when that is a problem, and always leaves with a {@code Retry-After}; any other 5xx becomes a 502
     * problem that says only that the backend failed.
     */
    static Response relay(Response backend, int retryAfterSeconds, String... headers) {
        int status = backend.getStatus();
        if (status >= 500 && (status != 503 || !isProblem(backend))) {
            backend.close();
            Log.warnf("a backend answered %d; passed on as a problem without its body", status);
            Problem problem = status == 503
                    ? Problem.unavailable("a backend is not ready to answer; try again shortly")
                    : new Problem("urn:shipgan:problem:backend-error", "Backend error", 502,
                            "a backend failed to answer this request (it said " + status + "); try again shortly");
            return problem.toResponse().header(HttpHeaders.RETRY_AFTER, retryAfterSeconds).build();
        }
        if (status >= 400 && !isProblem(backend)) {
            backend.close();
            return Problem.forStatus(status, "a backend refused this request with status " + status).toResponse()
                    .build();
        }
        Response.ResponseBuilder builder = Response.status(status);
        if (backend.getMediaType() != null) {
            builder.type(backend.getMediaType());
        }
        boolean retryAfter = false;
        for (String header : headers) {
            String value = backend.getHeaderString(header);
            if (value != null) {
                builder.header(header, value);
                retryAfter |= HttpHeaders.RETRY_AFTER.equalsIgnoreCase(header);
            }
        }
        if (status == 503 && !retryAfter) {
            builder.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        }
        byte[] body = backend.hasEntity() ? backend.readEntity(byte[].class) : new byte[0];
        return builder.entity(body).build();
    }

    static boolean isProblem(Response backend) {
        return backend.getMediaType() != null && Problem.MEDIA_TYPE.equals(backend.getMediaType().getType() + "/"
                + backend.getMediaType().getSubtype());
    }

    private static ProblemException unreachable(String role, int retryAfterSeconds) {
        return new ProblemException(Problem.unavailable("the " + role + " is not reachable; try again shortly"),
                retryAfterSeconds);
    }
}
