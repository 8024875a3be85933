package io.shipgan.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Calls to the trainer. */
@RegisterRestClient(configKey = "trainer")
@Path("/api/v1")
public interface TrainerClient {

    @GET
    @Path("/training")
    Response training();

    @GET
    @Path("/training/history")
    Response history();

    @GET
    @Path("/training/curves.png")
    Response curves();

    @GET
    @Path("/training/checkpoints/{version}/samples.png")
    Response samples(@PathParam("version") long version);

    @POST
    @Path("/training/start")
    Response start();

    @POST
    @Path("/training/stop")
    Response stop();
}
