package io.shipgan.gateway.rest;

import io.shipgan.gateway.client.GeneratorClient;
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
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.List;

/**
 * Generated images and interpolation strips: validates the request, asks a generator, passes the PNG or
 * {@code .npy} tensor and its provenance headers on. The caller's Accept header goes to the generator with the
 * request, so {@code Accept: application/x-npy} asks for the tensor as {@code format=npy} does.
 */
@Path("/api/v1/images")
@RolesAllowed(Roles.USER)
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
    @RestClient
    GeneratorClient generator;

    @GET
    @Produces({PNG, NPY, Problem.MEDIA_TYPE})
    public Response images(@Context UriInfo uri, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        QueryParameters parameters = new QueryParameters(uri.getQueryParameters(), "count", "seed", "label",
                "format");
        int count = parameters.intInRange("count", 1, 1, config.maxCount());
        Long seed = parameters.optionalLong("seed");
        String label = parameters.optionalLabel("label");
        String format = parameters.optionalChoice("format", FORMATS);

        Response backend = BackendCalls.call("generator", config.retryAfterSeconds(),
                () -> generator.images(count, seed, label, format, acceptOrAny(accept)));
        return BackendCalls.relay(backend, RELAYED_HEADERS);
    }

    @GET
    @Path("interpolation")
    @Produces({PNG, NPY, Problem.MEDIA_TYPE})
    public Response interpolation(@Context UriInfo uri, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        QueryParameters parameters = new QueryParameters(uri.getQueryParameters(), "from", "to", "steps", "mode",
                "label", "format");
        long from = parameters.requiredLong("from");
        long to = parameters.requiredLong("to");
        Integer steps = parameters.optionalIntInRange("steps", 2, Math.max(2, config.maxCount()));
        String mode = parameters.optionalChoice("mode", MODES);
        String label = parameters.optionalLabel("label");
        String format = parameters.optionalChoice("format", FORMATS);

        Response backend = BackendCalls.call("generator", config.retryAfterSeconds(),
                () -> generator.interpolation(from, to, steps, mode, label, format, acceptOrAny(accept)));
        return BackendCalls.relay(backend, RELAYED_HEADERS);
    }

    /** A request without Accept takes anything (RFC 9110), and the generator answers PNG for that. */
    private static String acceptOrAny(String accept) {
        return accept == null || accept.isBlank() ? "*/*" : accept;
    }
}
