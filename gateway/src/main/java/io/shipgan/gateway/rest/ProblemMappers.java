package io.shipgan.gateway.rest;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.shipgan.gateway.security.ApiKeyAuthenticationMechanism;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Optional;
import java.util.Set;

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
        return keyMissing();
    }

    private static Response keyMissing() {
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
        return identities.getDeferredIdentity().map(ProblemMappers::mapForbiddenTo);
    }

    private static Response mapForbiddenTo(SecurityIdentity identity) {
        return Problem.forbidden("the API key '" + identity.getPrincipal().getName() + "' may not use this route; "
                + "changing the rollout or the training needs a key with the admin role").toResponse().build();
    }

    /**
     * A status JAX-RS chose (404, 405, 406, 415, ...), as a problem that names what is wrong. A 406 or 415 is told
     * only to a caller whose key may use the route: anyone else learns no more about it than a 401 or 403 says.
     */
    @ServerExceptionMapper
    public Uni<Response> mapWebApplication(WebApplicationException e, HttpHeaders headers, Request request,
                                           UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status != 406 && status != 415) {
            return Uni.createFrom().item(statusProblem(e, request, uri));
        }
        return identities.getDeferredIdentity()
                .map(identity -> {
                    if (identity.isAnonymous()) {
                        return keyMissing();
                    }
                    Set<String> roles = RouteTable.rolesAllowed(uri.getPath(), request.getMethod());
                    if (!roles.isEmpty() && roles.stream().noneMatch(identity::hasRole)) {
                        return mapForbiddenTo(identity);
                    }
                    return negotiationProblem(status, headers);
                })
                .onFailure(AuthenticationFailedException.class)
                .recoverWithItem(failure -> mapAuthenticationFailed((AuthenticationFailedException) failure));
    }

    private static Response statusProblem(WebApplicationException e, Request request, UriInfo uri) {
        int status = e.getResponse().getStatus();
        return switch (status) {
            case 404 -> Problem.notFound("no such resource; the API lives under /api/v1").toResponse().build();
            case 405 -> {
                Optional<String> allowed = RouteTable.allowedMethods(uri.getPath());
                Response.ResponseBuilder builder = Problem.forStatus(405, "method " + abbreviate(request.getMethod())
                        + " is not allowed here" + allowed.map(methods -> "; this route takes " + methods).orElse(""))
                        .toResponse();
                allowed.ifPresent(methods -> builder.header(HttpHeaders.ALLOW, methods));
                yield builder.build();
            }
            default -> Problem.forStatus(status, "the request was refused with status " + status).toResponse()
                    .build();
        };
    }

    private static Response negotiationProblem(int status, HttpHeaders headers) {
        if (status == 406) {
            return Problem.forStatus(406, "no type this route answers with is acceptable to the Accept header '"
                    + abbreviate(headers.getHeaderString(HttpHeaders.ACCEPT)) + "'; the types of each route are "
                    + "in /q/openapi").toResponse().build();
        }
        return Problem.forStatus(415, "this route does not read a body of the Content-Type '"
                + abbreviate(headers.getHeaderString(HttpHeaders.CONTENT_TYPE)) + "'; the types of each route are in "
                + "/q/openapi").toResponse().build();
    }

    /** A header's value as it may appear in a detail: printable ASCII, at most 60 characters. */
    private static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 60 ? printable : printable.substring(0, 60) + "…";
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
