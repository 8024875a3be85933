package io.shipgan.gateway.rest;

import io.shipgan.gateway.client.GeneratorClient;
import io.shipgan.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The active model of the generator and its metadata. */
@Path("/api/v1/models")
public class ModelsResource {

    @Inject
    GatewayConfig config;

    @Inject
    @RestClient
    GeneratorClient generator;

    @GET
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response models() {
        return BackendCalls.relay(BackendCalls.call("generator", config.retryAfterSeconds(), generator::models));
    }
}
