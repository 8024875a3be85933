package io.shipgan.gateway.rest;

import io.shipgan.gateway.client.GeneratorClient;
import io.shipgan.gateway.client.GeneratorReplicas;
import io.shipgan.gateway.config.GatewayConfig;
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

import java.util.function.Function;

/**
 * The generators' models and their rollout operations: the models view, recent rollout events, pin a version, lift
 * the pin, roll back. The views come from any one replica (each names itself in {@code replica}); the operations go
 * to every replica, and succeed only when every replica applied them. The generators decide; their answers, errors
 * included, are passed on as they are.
 */
@Path("/api/v1/models")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class ModelsResource {

    /** Longest rollback body passed on; the generator itself allows a reason of up to 500 characters. */
    static final int MAX_BODY_CHARS = 2048;

    @Inject
    GatewayConfig config;

    @Inject
    GeneratorReplicas generators;

    @GET
    public Response models(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return readFromAnyGenerator(GeneratorClient::models);
    }

    @GET
    @Path("events")
    public Response events(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return readFromAnyGenerator(GeneratorClient::modelEvents);
    }

    @POST
    @Path("{version}/pin")
    public Response pinVersion(@PathParam("version") String version, @Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        long pinned = QueryParameters.pathLong("version", version, 0, Long.MAX_VALUE);
        return applyOnEveryGenerator("pin of version " + pinned, generator -> generator.pinVersion(pinned));
    }

    @DELETE
    @Path("pin")
    public Response unpinVersion(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return applyOnEveryGenerator("unpin", GeneratorClient::unpinVersion);
    }

    /** The body is optional, {@code {"reason": "..."}}; the generator checks it. */
    @POST
    @Path("rollback")
    @Consumes(MediaType.WILDCARD)
    public Response rollBack(String body, @Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        String passedOn = body == null ? "" : body;
        if (passedOn.length() > MAX_BODY_CHARS) {
            throw new ProblemException(Problem.invalidParameter("the body must be at most " + MAX_BODY_CHARS
                    + " characters; it was " + passedOn.length()));
        }
        return applyOnEveryGenerator("rollback", generator -> generator.rollBack(passedOn));
    }

    private Response readFromAnyGenerator(Function<GeneratorClient, Response> call) {
        return BackendCalls.readFromGenerator(generators, config.retryAfterSeconds(), call);
    }

    private Response applyOnEveryGenerator(String operation, Function<GeneratorClient, Response> call) {
        return BackendCalls.everyGenerator(generators, config.retryAfterSeconds(), operation, call);
    }
}
