package io.shipgan.gateway.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Calls to one generator replica; {@link GeneratorReplicas} builds one client per replica that Stork lists.
 * Responses come back whole, whatever their status, so errors pass through. A null query parameter is left out, so
 * the generator's default applies.
 */
@Path("/api/v1")
public interface GeneratorClient {

    @GET
    @Path("/images")
    Response images(@QueryParam("count") int count,
                    @QueryParam("seed") Long seed,
                    @QueryParam("label") String label,
                    @QueryParam("format") String format,
                    @HeaderParam(HttpHeaders.ACCEPT) String accept);

    @GET
    @Path("/images/interpolation")
    Response interpolation(@QueryParam("from") long from,
                           @QueryParam("to") long to,
                           @QueryParam("steps") Integer steps,
                           @QueryParam("mode") String mode,
                           @QueryParam("label") String label,
                           @QueryParam("format") String format,
                           @HeaderParam(HttpHeaders.ACCEPT) String accept);

    @GET
    @Path("/models")
    Response models();

    @GET
    @Path("/models/events")
    Response modelEvents();

    @POST
    @Path("/models/{version}/pin")
    Response pinVersion(@PathParam("version") long version);

    @DELETE
    @Path("/models/pin")
    Response unpinVersion();

    @POST
    @Path("/models/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    Response rollBack(String body);
}
