package io.shipgan.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Calls to a generator replica. Responses come back whole, whatever their status, so errors pass through. */
@RegisterRestClient(configKey = "generator")
@Path("/api/v1")
public interface GeneratorClient {

    @GET
    @Path("/images")
    Response images(@QueryParam("count") int count, @QueryParam("seed") Long seed);

    @GET
    @Path("/models")
    Response models();
}
