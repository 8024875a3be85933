package io.shipgan.gateway.rest;

import jakarta.ws.rs.core.Response;

/** Ends a request with a problem body; extra headers (such as {@code Retry-After}) go with it. */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Integer retryAfterSeconds;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    public ProblemException(Problem problem, Integer retryAfterSeconds) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Response toResponse() {
        Response.ResponseBuilder builder = problem.toResponse();
        if (retryAfterSeconds != null) {
            builder.header("Retry-After", retryAfterSeconds);
        }
        return builder.build();
    }
}
