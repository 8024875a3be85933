package io.shipgan.generator.rest;

import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem body. The type is always {@code about:blank}, so the title is the status phrase and the
 * detail says what was wrong and what is allowed.
 *
 * @param type   {@code about:blank}
 * @param title  the HTTP status phrase
 * @param status the HTTP status code
 * @param detail what went wrong, in words for the caller; never internals
 */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem of this status with its standard phrase as title. */
    public static Problem of(Response.StatusType status, String detail) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail);
    }

    /** The problem as a response, ready for extra headers. */
    public Response.ResponseBuilder toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this);
    }
}
