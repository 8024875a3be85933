package io.shipgan.trainer.rest;

import io.shipgan.trainer.model.TrainingService;
import io.shipgan.trainer.model.TrainingStatus;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The training run over HTTP: its status, and starting or stopping it. */
@Path("/api/v1/training")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingResource {

    private final TrainingService training;

    @Inject
    public TrainingResource(TrainingService training) {
        this.training = training;
    }

    @GET
    public TrainingStatus status() {
        return training.status();
    }

    /** 202 with the status when a run starts, 409 when one is already running. */
    @POST
    @Path("/start")
    public Response start() {
        Response.Status outcome = training.start() ? Response.Status.ACCEPTED : Response.Status.CONFLICT;
        return Response.status(outcome).entity(training.status()).build();
    }

    /** 202 with the status when the running run will stop after its current step, 409 when none is running. */
    @POST
    @Path("/stop")
    public Response stop() {
        Response.Status outcome = training.stop() ? Response.Status.ACCEPTED : Response.Status.CONFLICT;
        return Response.status(outcome).entity(training.status()).build();
    }
}
