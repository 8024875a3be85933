package io.shipgan.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * The trainer's run: its status (state, step, ETA, losses, scores), history, curve image and sample grids, and
 * starting or stopping it. The trainer's answers, errors included, are passed on as they are.
 */
@Path("/api/v1/training")
@Tag(name = "training")
@APIResponse(responseCode = "400", ref = OpenApiDocument.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDocument.UNAUTHORIZED)
@APIResponse(responseCode = "429", ref = OpenApiDocument.TOO_MANY_REQUESTS)
@APIResponse(responseCode = "503", ref = OpenApiDocument.UNAVAILABLE)
public class TrainingResource {

    private static final String PNG = "image/png";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    GatewayConfig config;

    @Inject
    @RestClient
    TrainerClient trainer;

    @GET
    @RolesAllowed(Roles.USER)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "What the trainer is doing", description = "State, epoch, step, images/s, ETA, last "
            + "losses, latest scores, classifier accuracy, labels, latest published version.")
    @APIResponse(responseCode = "200", description = "The trainer's status",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
                    examples = @ExampleObject(name = "example", value = """
                            {"state": "TRAINING", "epoch": 3, "step": 650, "imagesPerSecond": 5.1,
                             "latestVersion": 13}""")))
    public Response training(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return callTrainer(trainer::training);
    }

    @GET
    @Path("history")
    @RolesAllowed(Roles.USER)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Losses every log-every steps and each checkpoint's version and scores")
    @APIResponse(responseCode = "200", description = "The history",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    public Response history(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return callTrainer(trainer::history);
    }

    @GET
    @Path("curves.png")
    @RolesAllowed(Roles.USER)
    @Produces({PNG, Problem.MEDIA_TYPE})
    @Operation(summary = "Loss, rate and Frechet-distance curves of the run")
    @APIResponse(responseCode = "200", description = "The curves",
            content = @Content(mediaType = PNG, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Response curves(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return callTrainer(trainer::curves);
    }

    @GET
    @Path("checkpoints/{version}/samples.png")
    @RolesAllowed(Roles.USER)
    @Produces({PNG, Problem.MEDIA_TYPE})
    @Operation(summary = "A checkpoint's sample grid", description = "One row per label, the same 8 latents at every "
            + "checkpoint.")
    @Parameter(name = "version", in = ParameterIn.PATH, description = "The checkpoint version",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"), example = "12")
    @APIResponse(responseCode = "200", description = "The grid",
            content = @Content(mediaType = PNG, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "No grid for this checkpoint",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response samples(@PathParam("version") String version, @Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        long checkpoint = QueryParameters.pathLong("version", version, 1, Long.MAX_VALUE);
        return callTrainer(() -> trainer.samples(checkpoint));
    }

    @POST
    @Path("start")
    @RolesAllowed(Roles.ADMIN)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Start training", description = "Resumes the saved training.")
    @APIResponse(responseCode = "202", description = "Started; the status",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
                    examples = @ExampleObject(name = "example", value = """
                            {"state": "TRAINING", "epoch": 3, "step": 650, "imagesPerSecond": 5.1,
                             "latestVersion": 13}""")))
    @APIResponse(responseCode = "403", ref = OpenApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "409", description = "Already running",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response start(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return commandTrainer("start", "it is already running", trainer::start);
    }

    @POST
    @Path("stop")
    @RolesAllowed(Roles.ADMIN)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Stop training after the current step")
    @APIResponse(responseCode = "202", description = "Stopping; the status",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "403", ref = OpenApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "409", description = "Not running",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response stop(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return commandTrainer("stop", "it is not running", trainer::stop);
    }

    /**
     * A start or stop; the trainer refuses one that does not fit its state with a 409 and its status, which becomes a
     * problem that names the state (every refusal of the gateway is a problem).
     */
    private Response commandTrainer(String command, String conflict, Supplier<Response> call) {
        Response response = BackendCalls.call("trainer", config.retryAfterSeconds(), call);
        if (response.getStatus() != 409 || BackendCalls.isProblem(response)) {
            return BackendCalls.relay(response, config.retryAfterSeconds(), HttpHeaders.CACHE_CONTROL);
        }
        String state = stateOf(response);
        return new Problem("urn:shipgan:problem:conflict", "Conflict", 409, "cannot " + command + " the training: "
                + conflict + (state == null ? "" : " (state " + state + ")")).toResponse().build();
    }

    /** The {@code state} of a trainer status body, or null when it has none. */
    private static String stateOf(Response status) {
        try {
            JsonNode body = JSON.readTree(status.readEntity(byte[].class));
            String state = body.path("state").asText("");
            return state.matches("[A-Z_]{1,32}") ? state : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Response callTrainer(Supplier<Response> call) {
        return BackendCalls.relay(BackendCalls.call("trainer", config.retryAfterSeconds(), call),
                config.retryAfterSeconds(), HttpHeaders.CACHE_CONTROL);
    }
}
