package io.shipgan.generator.rest;

import io.quarkus.logging.Log;
import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.rollout.RolloutConflictException;
import io.shipgan.generator.rollout.UnknownVersionException;
import io.shipgan.generator.rollout.UnservableVersionException;
import io.shipgan.generator.sampling.LabelNotDrawnException;
import io.shipgan.generator.sampling.NoActiveModelException;
import io.shipgan.generator.sampling.SamplingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into a problem+json body that says what went wrong without showing internals. */
public class ProblemMappers {

    /** Seconds a client is asked to wait before trying again while no checkpoint is loaded. */
    static final int RETRY_AFTER_SECONDS = 5;

    /** 422 (RFC 9110), which Jakarta REST names no constant for. */
    static final Response.StatusType UNPROCESSABLE_CONTENT = new Response.StatusType() {
        @Override
        public int getStatusCode() {
            return 422;
        }

        @Override
        public Response.Status.Family getFamily() {
            return Response.Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
            return "Unprocessable Content";
        }
    };

    private final GeneratorConfig config;

    public ProblemMappers(GeneratorConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response mapInvalidParameter(InvalidParameterException e) {
        return Problem.of(Status.BAD_REQUEST, e.getMessage()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response mapUnknownVersion(UnknownVersionException e) {
        return Problem.of(Status.NOT_FOUND, e.getMessage()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response mapRolloutConflict(RolloutConflictException e) {
        return Problem.of(Status.CONFLICT, e.getMessage()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response mapUnservableVersion(UnservableVersionException e) {
        return Problem.of(UNPROCESSABLE_CONTENT, e.getMessage()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response mapLabelNotDrawn(LabelNotDrawnException e) {
        String asked = QueryParameters.echo(e.label());
        String detail = e.labels().isEmpty()
                ? "query parameter 'label' cannot be used: model " + e.version() + " is unconditional and draws no "
                        + "labels; got '" + asked + "'"
                : "query parameter 'label' must be one of " + String.join(", ", e.labels()) + " (the labels model "
                        + e.version() + " draws); got '" + asked + "'";
        return Problem.of(UNPROCESSABLE_CONTENT, detail).toResponse().build();
    }

    @ServerExceptionMapper
    public Response mapNoActiveModel(NoActiveModelException e) {
        String detail = "no checkpoint has been loaded yet; waiting for topic " + config.checkpointTopic();
        return Problem.of(Status.SERVICE_UNAVAILABLE, detail).toResponse()
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .build();
    }

    @ServerExceptionMapper
    public Response mapSamplingFailure(SamplingException e) {
        Log.warnf("sampling failed: %s", e.getMessage());
        return Problem.of(Status.INTERNAL_SERVER_ERROR, "sampling failed; the failure is logged").toResponse()
                .build();
    }

    @ServerExceptionMapper
    public Response mapWebApplication(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String detail = switch (status.getStatusCode()) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> "the resource cannot produce the media type asked for in Accept";
            default -> status.getReasonPhrase();
        };
        return Problem.of(status, detail).toResponse().build();
    }

    @ServerExceptionMapper
    public Response mapUnexpected(Throwable e) {
        Log.errorf(e, "request failed unexpectedly");
        return Problem.of(Status.INTERNAL_SERVER_ERROR, "internal error; the failure is logged").toResponse()
                .build();
    }
}
