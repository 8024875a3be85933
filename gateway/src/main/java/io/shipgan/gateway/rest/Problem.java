package io.shipgan.gateway.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem body: what went wrong, in words for the caller, never with internal addresses or traces.
 *
 * @param type   a stable identifier of the kind of problem
 * @param title  a short summary of the kind of problem
 * @param status the HTTP status
 * @param detail what is wrong with this request and how to fix it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem invalidParameter(String detail) {
        return new Problem("urn:shipgan:problem:invalid-parameter", "Invalid parameter", 400, detail);
    }

    public static Problem unavailable(String detail) {
        return new Problem("urn:shipgan:problem:unavailable", "Service unavailable", 503, detail);
    }

    public static Problem notFound(String detail) {
        return new Problem("urn:shipgan:problem:not-found", "Not found", 404, detail);
    }

    public Response.ResponseBuilder toResponse() {
        return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this);
    }
}
