package io.shipgan.gateway.rest;

import io.shipgan.gateway.client.GeneratorClient;
import io.shipgan.gateway.client.GeneratorReplicas;
import io.shipgan.gateway.config.GatewayConfig;
import io.shipgan.gateway.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.function.Function;

/**
 * The generators' models and their rollout operations: the models view, recent rollout events, pin a version, lift
 * the pin, roll back. The views come from any one replica (each names itself in {@code replica}); the operations go
 * to every replica, and succeed only when every replica applied them. The generators decide; their answers, errors
 * included, are passed on as they are.
 */
@Path("/api/v1/models")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Tag(name = "models")
@APIResponse(responseCode = "400", ref = OpenApiDocument.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDocument.UNAUTHORIZED)
@APIResponse(responseCode = "429", ref = OpenApiDocument.TOO_MANY_REQUESTS)
@APIResponse(responseCode = "503", ref = OpenApiDocument.UNAVAILABLE)
public class ModelsResource {

    /** Longest rollback body passed on; the generator itself allows a reason of up to 500 characters. */
    static final int MAX_BODY_CHARS = 2048;

    @Inject
    GatewayConfig config;

    @Inject
    GeneratorReplicas generators;

    @GET
    @RolesAllowed(Roles.USER)
    @Operation(summary = "The models view", description = "The model name, the replica, the active version with "
            + "its device, labels and checkpoint metadata, the rollout policy, every known version with its status, "
            + "counters, batching and cache.")
    @APIResponse(responseCode = "200", description = "The models view",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
                    examples = @ExampleObject(name = "example", value = """
                            {"modelName": "shipgan-dcgan", "active": {"version": 12, "labels": ["ship", "no-ship"]},
                             "policy": {"mode": "pinned", "pinnedVersion": 12}}""")))
    public Response models(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return readFromAnyGenerator(GeneratorClient::models);
    }

    @GET
    @Path("events")
    @RolesAllowed(Roles.USER)
    @Operation(summary = "Recent rollout events, newest first")
    @APIResponse(responseCode = "200", description = "The events",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
                    examples = @ExampleObject(name = "example", value = """
                            [{"replica": "generator-0", "modelName": "shipgan-dcgan", "version": 12,
                              "event": "activated", "reason": null, "at": "2026-12-04T21:00:00Z"}]""")))
    public Response events(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return readFromAnyGenerator(GeneratorClient::modelEvents);
    }

    @POST
    @Path("{version}/pin")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Pin a version", description = "The version serves until unpinned.")
    @Parameter(name = "version", in = ParameterIn.PATH, description = "The version to serve",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"), example = "12")
    @APIResponse(responseCode = "200", description = "Pinned; the models view",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
                    examples = @ExampleObject(name = "example", value = """
                            {"modelName": "shipgan-dcgan", "active": {"version": 12, "labels": ["ship", "no-ship"]},
                             "policy": {"mode": "pinned", "pinnedVersion": 12}}""")))
    @APIResponse(responseCode = "403", ref = OpenApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", description = "Unknown version",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Rejected, still being validated or no longer on disk",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Its cached copy fails validation",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response pinVersion(@PathParam("version") String version, @Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        long pinned = QueryParameters.pathLong("version", version, 0, Long.MAX_VALUE);
        return applyOnEveryGenerator("pin of version " + pinned, generator -> generator.pinVersion(pinned));
    }

    @DELETE
    @Path("pin")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Lift the pin", description = "The newest good version rolls out again.")
    @APIResponse(responseCode = "200", description = "Unpinned; the models view",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "403", ref = OpenApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "409", description = "Nothing is pinned",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response unpinVersion(@Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        return applyOnEveryGenerator("unpin", GeneratorClient::unpinVersion);
    }

    /** The body is optional, {@code {"reason": "..."}}; the generator checks it. */
    @POST
    @Path("rollback")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Roll back", description = "Withdraws the active version (or the running canary) and serves "
            + "the previous good one.")
    @RequestBody(required = false, description = "An optional reason, at most 500 characters",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
                    examples = @ExampleObject(name = "reason", value = "{\"reason\": \"blurry hulls\"}")))
    @APIResponse(responseCode = "200", description = "Rolled back; the models view",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "403", ref = OpenApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "409",
            description = "Nothing is active, a version is pinned, or nothing earlier is on disk",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The body is larger than quarkus.http.limits.max-body-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response rollBack(String body, @Context UriInfo uri) {
        QueryParameters.requireNone(uri.getQueryParameters());
        String passedOn = body == null ? "" : body;
        if (passedOn.length() > MAX_BODY_CHARS) {
            throw new ProblemException(Problem.invalidParameter("the body must be at most " + MAX_BODY_CHARS
                    + " characters; it was " + passedOn.length()));
        }
        return applyOnEveryGenerator("rollback", generator -> generator.rollBack(passedOn));
    }

    private Response readFromAnyGenerator(Function<GeneratorClient, Response> call) {
        return BackendCalls.readFromGenerator(generators, config.retryAfterSeconds(), call);
    }

    private Response applyOnEveryGenerator(String operation, Function<GeneratorClient, Response> call) {
        return BackendCalls.everyGenerator(generators, config.retryAfterSeconds(), operation, call);
    }
}
