package io.shipgan.gateway.rest;

import io.shipgan.gateway.client.TrainerClient;
import io.shipgan.gateway.config.GatewayConfig;
import io.shipgan.gateway.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.function.Supplier;

/**
 * The trainer's run: its status (state, step, ETA, losses, scores), history, curve image and sample grids, and
 * starting or stopping it. The trainer's answers, errors included, are passed on as they are.
 */
@Path("/api/v1/training")
public class TrainingResource {

    private static final String PNG = "image/png";

    @Inject
    GatewayConfig config;

    @Inject
    @RestClient
    TrainerClient trainer;

    @GET
    @RolesAllowed(Roles.USER)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response training(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return callTrainer(trainer::training);
    }

    @GET
    @Path("history")
    @RolesAllowed(Roles.USER)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response history(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return callTrainer(trainer::history);
    }

    @GET
    @Path("curves.png")
    @RolesAllowed(Roles.USER)
    @Produces({PNG, Problem.MEDIA_TYPE})
    public Response curves(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return callTrainer(trainer::curves);
    }

    @GET
    @Path("checkpoints/{version}/samples.png")
    @RolesAllowed(Roles.USER)
    @Produces({PNG, Problem.MEDIA_TYPE})
    public Response samples(@PathParam("version") String version, @Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        long checkpoint = QueryParameters.pathLong("version", version, 1, Long.MAX_VALUE);
        return callTrainer(() -> trainer.samples(checkpoint));
    }

    @POST
    @Path("start")
    @RolesAllowed(Roles.ADMIN)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response start(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return callTrainer(trainer::start);
    }

    @POST
    @Path("stop")
    @RolesAllowed(Roles.ADMIN)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response stop(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return callTrainer(trainer::stop);
    }

    private Response callTrainer(Supplier<Response> call) {
        return BackendCalls.relay(BackendCalls.call("trainer", config.retryAfterSeconds(), call),
                HttpHeaders.CACHE_CONTROL);
    }
}
