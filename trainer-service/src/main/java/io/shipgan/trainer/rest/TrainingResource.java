package io.shipgan.trainer.rest;

import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.trainer.model.TrainingHistory;
import io.shipgan.trainer.model.TrainingService;
import io.shipgan.trainer.model.TrainingStatus;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** The training run over HTTP: its status, history and pictures, and starting or stopping it. */
@Path("/api/v1/training")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingResource {

    private static final MediaType PNG = new MediaType("image", "png");
    private static final MediaType PROBLEM = new MediaType("application", "problem+json");

    private final TrainingService training;
    private final TrainerConfig config;

    @Inject
    public TrainingResource(TrainingService training, TrainerConfig config) {
        this.training = training;
        this.config = config;
    }

    @GET
    public TrainingStatus status() {
        return training.status();
    }

    /** Losses at logged steps and scores at checkpoints, oldest first. */
    @GET
    @Path("/history")
    public List<TrainingHistory.Point> history() {
        return training.history();
    }

    /** The loss and score curves of the run, as drawn at its last checkpoint. */
    @GET
    @Path("/curves.png")
    @Produces({"image/png", "application/problem+json"})
    public Response curves() {
        return png(config.stateDir().resolve(TrainingService.CURVES_FILE), false,
                "no curves yet: they are drawn at the first checkpoint");
    }

    /** The sample grid of one checkpoint: one row per label, the same latents at every checkpoint. */
    @GET
    @Path("/checkpoints/{version}/samples.png")
    @Produces({"image/png", "application/problem+json"})
    public Response samples(@PathParam("version") String version) {
        long number;
        try {
            number = Long.parseLong(version);
        } catch (NumberFormatException e) {
            number = 0;
        }
        if (number < 1) {
            return problem(Response.Status.BAD_REQUEST, "Invalid checkpoint version",
                    "version must be a whole number of at least 1, got '" + version + "'");
        }
        java.nio.file.Path onnx = config.stateDir().resolve(config.modelName() + "-v" + number + ".onnx");
        // A checkpoint's grid never changes once written: caches may keep it.
        return png(TrainingService.samplesFile(onnx), true, "no sample grid for checkpoint " + number);
    }

    /** 202 with the status when a run starts (resuming the saved training when there is one), 409 when running. */
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

    private static Response png(java.nio.file.Path file, boolean immutable, String missing) {
        if (!Files.isRegularFile(file)) {
            return problem(Response.Status.NOT_FOUND, "Not found", missing);
        }
        CacheControl cache = new CacheControl();
        if (immutable) {
            cache.setMaxAge(86_400);
        } else {
            cache.setNoCache(true);
        }
        try {
            return Response.ok(Files.readAllBytes(file), PNG).cacheControl(cache).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response problem(Response.Status status, String title, String detail) {
        return Response.status(status)
                .type(PROBLEM)
                .entity(Map.of("type", "about:blank", "title", title, "status", status.getStatusCode(),
                        "detail", detail))
                .build();
    }
}
