package io.shipgan.gateway.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem body: what went wrong, in words for the caller, never with internal addresses or traces.
 *
 * @param type   a stable identifier of the kind of problem
 * @param title  a short summary of the kind of problem
 * @param status the HTTP status
 * @param detail what is wrong with this request and how to fix it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
@Schema(name = "Problem", description = "An RFC 9457 problem: what went wrong, for the caller to read")
public record Problem(
        @Schema(description = "A stable identifier of the kind of problem",
                example = "urn:shipgan:problem:invalid-parameter") String type,
        @Schema(description = "A short summary of the kind of problem", example = "Invalid parameter") String title,
        @Schema(description = "The HTTP status", example = "400") int status,
        @Schema(description = "What is wrong with this request and how to fix it",
                example = "parameter 'count' must be from 1 to 64, was 0") String detail) {

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

    public static Problem unauthorized(String detail) {
        return new Problem("urn:shipgan:problem:unauthorized", "Unauthorized", 401, detail);
    }

    public static Problem forbidden(String detail) {
        return new Problem("urn:shipgan:problem:forbidden", "Forbidden", 403, detail);
    }

    public static Problem payloadTooLarge(String detail) {
        return new Problem("urn:shipgan:problem:payload-too-large", "Payload too large", 413, detail);
    }

    public static Problem tooManyRequests(String detail) {
        return new Problem("urn:shipgan:problem:too-many-requests", "Too many requests", 429, detail);
    }

    /** A request the gateway cannot read at all: its target or head breaks HTTP's or the gateway's rules. */
    public static Problem malformedRequest(String detail) {
        return new Problem("urn:shipgan:problem:malformed-request", "Malformed request", 400, detail);
    }

    /**
     * A problem for any status, titled by its reason phrase, e.g. {@code urn:shipgan:problem:http-405}, "Method Not
     * Allowed"; for statuses that have no problem kind of their own.
     */
    public static Problem forStatus(int status, String detail) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : switch (status) {
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            default -> status >= 500 ? "Server error" : "Client error";
        };
        return new Problem("urn:shipgan:problem:http-" + status, title, status, detail);
    }

    public Response.ResponseBuilder toResponse() {
        return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this);
    }
}
