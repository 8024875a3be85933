package io.shipgan.gateway.rest;

import io.quarkus.logging.Log;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import java.util.function.Supplier;

/** One place that calls a backend and says, without internal addresses, what went wrong when it cannot answer. */
final class BackendCalls {

    private BackendCalls() {
    }

    /**
     * Calls the backend; a refused or timed-out connection becomes a 503 problem naming only the role
     * ("generator", "trainer") of the backend.
     */
    static Response call(String role, int retryAfterSeconds, Supplier<Response> call) {
        try {
            return call.get();
        } catch (ProcessingException e) {
            Log.warnf("%s unreachable: %s", role, e.getMessage());
            throw new ProblemException(Problem.unavailable("the " + role + " is not reachable; try again shortly"),
                    retryAfterSeconds);
        }
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
