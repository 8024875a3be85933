package io.shipgan.gateway.rest;

import io.shipgan.gateway.client.GeneratorReplicas;
import io.shipgan.gateway.config.GatewayConfig;
import io.shipgan.gateway.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * Generated images and interpolation strips: validates the request, asks a generator replica (another one when it
 * cannot answer), passes the PNG or {@code .npy} tensor and its provenance headers on. The caller's Accept header
 * goes to the generator with the request, so {@code Accept: application/x-npy} asks for the tensor as
 * {@code format=npy} does.
 */
@Path("/api/v1/images")
@RolesAllowed(Roles.USER)
@Tag(name = "images")
@APIResponse(responseCode = "400", ref = OpenApiDocument.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDocument.UNAUTHORIZED)
@APIResponse(responseCode = "429", ref = OpenApiDocument.TOO_MANY_REQUESTS)
@APIResponse(responseCode = "503", ref = OpenApiDocument.UNAVAILABLE)
public class ImagesResource {

    static final String MODEL_VERSION_HEADER = "X-Model-Version";
    static final String SEED_HEADER = "X-Seed";
    static final String LABEL_HEADER = "X-Label";
    static final String PNG = "image/png";
    static final String NPY = "application/x-npy";
    static final List<String> FORMATS = List.of("png", "npy");
    static final List<String> MODES = List.of("slerp", "lerp");

    /** Headers of a generator's image answer that the caller gets too. */
    private static final String[] RELAYED_HEADERS = {MODEL_VERSION_HEADER, SEED_HEADER, LABEL_HEADER,
            "Content-Disposition", HttpHeaders.RETRY_AFTER};

    @Inject
    GatewayConfig config;

    @Inject
    GeneratorReplicas generators;

    @GET
    @Produces({PNG, NPY, Problem.MEDIA_TYPE})
    @Operation(summary = "Draw one image or a grid",
            description = "One 80x80 PNG for count=1, a grid of ceil(sqrt(count)) columns with 2 px gaps otherwise; "
                    + "or, for format=npy or Accept: application/x-npy, the float32 values in [-1, 1] of shape "
                    + "(count, 3, 80, 80) as a NumPy .npy file. The same seed under the same model version gives "
                    + "the same bytes.")
    @Parameter(name = "count", in = ParameterIn.QUERY, description = "Samples to draw, 1 to shipgan.gateway.max-count",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "64", defaultValue = "1"),
            example = "16")
    @Parameter(name = "seed", in = ParameterIn.QUERY, description = "Any 64-bit integer; random when absent",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64"), example = "7")
    @Parameter(name = "label", in = ParameterIn.QUERY,
            description = "The label to draw; default the active model's first label",
            schema = @Schema(type = SchemaType.STRING, pattern = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}"),
            example = "ship")
    @Parameter(name = "format", in = ParameterIn.QUERY, description = "png (default) or npy",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"png", "npy"}), example = "png")
    @APIResponse(responseCode = "200", description = "The image, grid or tensor",
            headers = {
                @Header(name = MODEL_VERSION_HEADER, description = "The model version that drew it",
                        schema = @Schema(type = SchemaType.INTEGER)),
                @Header(name = SEED_HEADER, description = "The seed used", schema = @Schema(type = SchemaType.INTEGER)),
                @Header(name = LABEL_HEADER, description = "The label drawn; absent for an unconditional model",
                        schema = @Schema(type = SchemaType.STRING))},
            content = {
                @Content(mediaType = PNG, schema = @Schema(type = SchemaType.STRING, format = "binary")),
                @Content(mediaType = NPY, schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "422", description = "The active model does not draw this label",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "unknown label", value = """
                            {"type": "about:blank", "status": 422, "detail": "query parameter 'label' must be one \
                            of ship, no-ship (the labels model 12 draws); got 'cat'"}""")))
    public Response images(@Context UriInfo uri, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        QueryParameters parameters = new QueryParameters(uri.getQueryParameters(), "count", "seed", "label",
                "format");
        int count = parameters.intInRange("count", 1, 1, config.maxCount());
        Long seed = parameters.optionalLong("seed");
        String label = parameters.optionalLabel("label");
        String format = parameters.optionalChoice("format", FORMATS);

        return BackendCalls.readFromGenerator(generators, config.retryAfterSeconds(),
                generator -> generator.images(count, seed, label, format, acceptOrAny(accept)), RELAYED_HEADERS);
    }

    @GET
    @Path("interpolation")
    @Produces({PNG, NPY, Problem.MEDIA_TYPE})
    @Operation(summary = "Draw an interpolation strip between two seeds",
            description = "steps images in one row, from seed 'from' to seed 'to' (the ends are exactly the single "
                    + "images of those seeds), or the .npy tensor (steps, 3, 80, 80).")
    @Parameter(name = "from", in = ParameterIn.QUERY, required = true, description = "The seed of the first image",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64"), example = "1")
    @Parameter(name = "to", in = ParameterIn.QUERY, required = true, description = "The seed of the last image",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64"), example = "2")
    @Parameter(name = "steps", in = ParameterIn.QUERY, description = "Images in the strip",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "2", maximum = "64", defaultValue = "8"),
            example = "8")
    @Parameter(name = "mode", in = ParameterIn.QUERY, description = "slerp (along the arc, default) or lerp",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"slerp", "lerp"}), example = "slerp")
    @Parameter(name = "label", in = ParameterIn.QUERY, description = "The label to draw",
            schema = @Schema(type = SchemaType.STRING, pattern = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}"),
            example = "no-ship")
    @Parameter(name = "format", in = ParameterIn.QUERY, description = "png (default) or npy",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"png", "npy"}))
    @APIResponse(responseCode = "200", description = "The strip or tensor",
            headers = {
                @Header(name = MODEL_VERSION_HEADER, description = "The model version that drew it",
                        schema = @Schema(type = SchemaType.INTEGER)),
                @Header(name = LABEL_HEADER, description = "The label drawn",
                        schema = @Schema(type = SchemaType.STRING))},
            content = {
                @Content(mediaType = PNG, schema = @Schema(type = SchemaType.STRING, format = "binary")),
                @Content(mediaType = NPY, schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "422", description = "The active model does not draw this label",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response interpolation(@Context UriInfo uri, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        QueryParameters parameters = new QueryParameters(uri.getQueryParameters(), "from", "to", "steps", "mode",
                "label", "format");
        long from = parameters.requiredLong("from");
        long to = parameters.requiredLong("to");
        Integer steps = parameters.optionalIntInRange("steps", 2, Math.max(2, config.maxCount()));
        String mode = parameters.optionalChoice("mode", MODES);
        String label = parameters.optionalLabel("label");
        String format = parameters.optionalChoice("format", FORMATS);

        return BackendCalls.readFromGenerator(generators, config.retryAfterSeconds(),
                generator -> generator.interpolation(from, to, steps, mode, label, format, acceptOrAny(accept)),
                RELAYED_HEADERS);
    }

    /** A request without Accept takes anything (RFC 9110), and the generator answers PNG for that. */
    private static String acceptOrAny(String accept) {
        return accept == null || accept.isBlank() ? "*/*" : accept;
    }
}
