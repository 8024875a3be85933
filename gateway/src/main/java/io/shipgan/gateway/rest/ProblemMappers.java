package io.shipgan.gateway.rest;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.shipgan.gateway.security.ApiKeyAuthenticationMechanism;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into a problem+json body, so no error leaks a stack trace or an internal address. */
public class ProblemMappers {

    @Inject
    CurrentIdentityAssociation identities;

    @ServerExceptionMapper
    public Response mapProblem(ProblemException e) {
        return e.toResponse();
    }

    /** A protected route asked without a key. */
    @ServerExceptionMapper
    public Response mapUnauthorized(UnauthorizedException e) {
        return unauthorized("this route needs an API key in the " + ApiKeyAuthenticationMechanism.HEADER
                + " header");
    }

    /** A key was sent that no configured key matches. */
    @ServerExceptionMapper
    public Response mapAuthenticationFailed(AuthenticationFailedException e) {
        return unauthorized(e.getMessage() == null ? "the API key is not valid" : e.getMessage());
    }

    /** A valid key whose role does not reach the route. */
    @ServerExceptionMapper
    public Uni<Response> mapForbidden(ForbiddenException e) {
        return identities.getDeferredIdentity().map(identity -> Problem.forbidden("the API key '"
                        + identity.getPrincipal().getName() + "' may not use this route; changing the rollout or the "
                        + "training needs a key with the admin role")
                .toResponse().build());
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

    private static Response unauthorized(String detail) {
        return Problem.unauthorized(detail).toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, ApiKeyAuthenticationMechanism.CHALLENGE)
                .build();
    }
}
