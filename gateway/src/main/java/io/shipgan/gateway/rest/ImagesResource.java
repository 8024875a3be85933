package io.shipgan.gateway.rest;

import io.shipgan.gateway.client.GeneratorClient;
import io.shipgan.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Generated images: validates the request, asks a generator, passes the PNG and its provenance headers on. */
@Path("/api/v1/images")
public class ImagesResource {

    static final String MODEL_VERSION_HEADER = "X-Model-Version";
    static final String SEED_HEADER = "X-Seed";

    @Inject
    GatewayConfig config;

    @Inject
    @RestClient
    GeneratorClient generator;

    @GET
    @Produces({"image/png", Problem.MEDIA_TYPE})
    public Response images(@Context UriInfo uri) {
        QueryParameters parameters = new QueryParameters(uri.getQueryParameters());
        int count = parameters.intInRange("count", 1, 1, config.maxCount());
        Long seed = parameters.optionalLong("seed");

        Response backend = BackendCalls.call("generator", config.retryAfterSeconds(),
                () -> generator.images(count, seed));
        return BackendCalls.relay(backend, MODEL_VERSION_HEADER, SEED_HEADER, "Retry-After");
    }
}
