package io.shipgan.gateway.rest;

import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into a problem+json body, so no error leaks a stack trace or an internal address. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response mapProblem(ProblemException e) {
        return e.toResponse();
    }

    @ServerExceptionMapper
    public Response mapWebApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null
                ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = status == 404 ? "no such resource; the API lives under /api/v1" : title;
        return new Problem("urn:shipgan:problem:http-" + status, title, status, detail).toResponse().build();
    }

    @ServerExceptionMapper
    public Response mapUnexpected(RuntimeException e) {
        Log.errorf(e, "unexpected failure while handling a request");
        return new Problem("urn:shipgan:problem:internal", "Internal error", 500,
                "the gateway failed to handle this request; it has been logged").toResponse().build();
    }
}
