package io.shipgan.gateway.rest;

import io.shipgan.gateway.client.TrainerClient;
import io.shipgan.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** What the trainer is doing: state, epoch, step, losses, speed. */
@Path("/api/v1/training")
public class TrainingResource {

    @Inject
    GatewayConfig config;

    @Inject
    @RestClient
    TrainerClient trainer;

    @GET
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response training(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return BackendCalls.relay(BackendCalls.call("trainer", config.retryAfterSeconds(), trainer::training));
    }
}
