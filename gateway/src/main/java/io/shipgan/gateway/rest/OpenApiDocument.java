package io.shipgan.gateway.rest;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The parts of the OpenAPI document (/q/openapi) that routes share: its description and the problem answers every
 * protected route can give, referenced by name from the resources. The API-key security scheme is set in
 * application.properties. It is the REST application class because that is where the document's definition is read;
 * it adds nothing to the routes.
 */
@OpenAPIDefinition(
        info = @Info(title = "ShipGAN gateway API", version = "1",
                description = "Generated 80x80 satellite chips of ships and of sea without ships, the models that "
                        + "draw them and the training that makes them. Every /api/v1 route needs an API key in the "
                        + "X-API-Key header: the user role samples and reads, the admin role may also change the "
                        + "rollout and the training.",
                license = @License(name = "Images from a model trained on Planet Labs / Open California imagery, "
                        + "CC BY-SA 4.0")),
        tags = {
            @Tag(name = "images", description = "Sampling: single images, grids, interpolation strips, tensors"),
            @Tag(name = "models", description = "The generator's models and their rollout"),
            @Tag(name = "training", description = "The trainer's run")
        },
        components = @Components(responses = {
            @APIResponse(name = OpenApiDocument.BAD_REQUEST, responseCode = "400",
                    description = "A parameter is unknown, repeated or out of range; the detail names it",
                    content = @Content(mediaType = Problem.MEDIA_TYPE,
                            schema = @Schema(implementation = Problem.class),
                            examples = @ExampleObject(name = "count out of range", value = """
                                    {"type": "urn:shipgan:problem:invalid-parameter", "title": "Invalid parameter",
                                     "status": 400, "detail": "parameter 'count' must be from 1 to 64, was 0"}"""))),
            @APIResponse(name = OpenApiDocument.UNAUTHORIZED, responseCode = "401",
                    description = "No API key, or one the gateway does not know",
                    headers = @Header(name = "WWW-Authenticate", description = "How to authenticate",
                            schema = @Schema(type = SchemaType.STRING,
                                    example = "ApiKey realm=\"shipgan\", header=\"X-API-Key\"")),
                    content = @Content(mediaType = Problem.MEDIA_TYPE,
                            schema = @Schema(implementation = Problem.class),
                            examples = @ExampleObject(name = "no key", value = """
                                    {"type": "urn:shipgan:problem:unauthorized", "title": "Unauthorized",
                                     "status": 401, "detail": "this route needs an API key in the X-API-Key header"}\
                                    """))),
            @APIResponse(name = OpenApiDocument.FORBIDDEN, responseCode = "403",
                    description = "The key is valid but has the user role; this route needs admin",
                    content = @Content(mediaType = Problem.MEDIA_TYPE,
                            schema = @Schema(implementation = Problem.class),
                            examples = @ExampleObject(name = "user key", value = """
                                    {"type": "urn:shipgan:problem:forbidden", "title": "Forbidden", "status": 403,
                                     "detail": "the API key 'web' may not use this route; changing the rollout or \
                                    the training needs a key with the admin role"}"""))),
            @APIResponse(name = OpenApiDocument.TOO_MANY_REQUESTS, responseCode = "429",
                    description = "The key made more requests than its rate limit allows",
                    headers = @Header(name = "Retry-After", description = "Whole seconds to wait, at least 1",
                            schema = @Schema(type = SchemaType.INTEGER, example = "1")),
                    content = @Content(mediaType = Problem.MEDIA_TYPE,
                            schema = @Schema(implementation = Problem.class))),
            @APIResponse(name = OpenApiDocument.UNAVAILABLE, responseCode = "503",
                    description = "No model is loaded yet, or the backend cannot be reached",
                    headers = @Header(name = "Retry-After", description = "Seconds to wait",
                            schema = @Schema(type = SchemaType.INTEGER, example = "5")),
                    content = @Content(mediaType = Problem.MEDIA_TYPE,
                            schema = @Schema(implementation = Problem.class),
                            examples = @ExampleObject(name = "generator down", value = """
                                    {"type": "urn:shipgan:problem:unavailable", "title": "Service unavailable",
                                     "status": 503, "detail": "the generator is not reachable; try again shortly"}\
                                    """)))
        }))
public class OpenApiDocument extends Application {

    static final String BAD_REQUEST = "BadRequest";
    static final String UNAUTHORIZED = "Unauthorized";
    static final String FORBIDDEN = "Forbidden";
    static final String TOO_MANY_REQUESTS = "TooManyRequests";
    static final String UNAVAILABLE = "Unavailable";
}
