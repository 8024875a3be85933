package io.shipgan.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Calls to the trainer. */
@RegisterRestClient(configKey = "trainer")
@Path("/api/v1")
public interface TrainerClient {

    @GET
    @Path("/training")
    Response training();
}
