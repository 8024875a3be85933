package io.shipgan.gateway.rest;

import io.shipgan.gateway.client.GeneratorClient;
import io.shipgan.gateway.config.GatewayConfig;
import io.shipgan.gateway.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.function.Supplier;

/**
 * The generator's models and its rollout operations: the models view, recent rollout events, pin a version, lift
 * the pin, roll back. The generator decides; its answers, errors included, are passed on as they are.
 */
@Path("/api/v1/models")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class ModelsResource {

    /** Longest rollback body passed on; the generator itself allows a reason of up to 500 characters. */
    static final int MAX_BODY_CHARS = 2048;

    @Inject
    GatewayConfig config;

    @Inject
    @RestClient
    GeneratorClient generator;

    @GET
    @RolesAllowed(Roles.USER)
    public Response models(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return callGenerator(generator::models);
    }

    @GET
    @Path("events")
    @RolesAllowed(Roles.USER)
    public Response events(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return callGenerator(generator::modelEvents);
    }

    @POST
    @Path("{version}/pin")
    @RolesAllowed(Roles.ADMIN)
    public Response pinVersion(@PathParam("version") String version, @Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        long pinned = QueryParameters.pathLong("version", version, 0, Long.MAX_VALUE);
        return callGenerator(() -> generator.pinVersion(pinned));
    }

    @DELETE
    @Path("pin")
    @RolesAllowed(Roles.ADMIN)
    public Response unpinVersion(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return callGenerator(generator::unpinVersion);
    }

    /** The body is optional, {@code {"reason": "..."}}; the generator checks it. */
    @POST
    @Path("rollback")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.WILDCARD)
    public Response rollBack(String body, @Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        String passedOn = body == null ? "" : body;
        if (passedOn.length() > MAX_BODY_CHARS) {
            throw new ProblemException(Problem.invalidParameter("the body must be at most " + MAX_BODY_CHARS
                    + " characters; it was " + passedOn.length()));
        }
        return callGenerator(() -> generator.rollBack(passedOn));
    }

    private Response callGenerator(Supplier<Response> call) {
        return BackendCalls.relay(BackendCalls.call("generator", config.retryAfterSeconds(), call));
    }
}
