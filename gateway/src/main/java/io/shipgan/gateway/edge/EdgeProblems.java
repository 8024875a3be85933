package io.shipgan.gateway.edge;

import io.shipgan.gateway.rest.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;

/** Ends a request with a problem body on the Vert.x level, where no JAX-RS exception mapper reaches. */
public final class EdgeProblems {

    private EdgeProblems() {
    }

    /**
     * Sends {@code problem} and closes the connection: what the client sent next on it (the rest of a body, a
     * pipelined request) cannot be trusted to start where the refused request ended.
     */
    public static void endAndClose(HttpServerResponse response, Problem problem) {
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Json.encode(problem));
    }
}
