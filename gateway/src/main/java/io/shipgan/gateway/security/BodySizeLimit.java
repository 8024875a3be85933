package io.shipgan.gateway.security;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.shipgan.gateway.edge.EdgeProblems;
import io.shipgan.gateway.rest.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Locale;
import java.util.Set;

/**
 * Refuses a request whose body is larger than {@code quarkus.http.limits.max-body-size} with a 413 problem, where
 * Quarkus's own checks would answer the same status with an empty body: a declared length is checked before anything
 * is read, and a body sent in chunks (whose length shows only once read) is read here, up to the limit, before the
 * REST layer sees it. A multipart body is refused with a 415 problem: no route reads one, and Vert.x's body handler
 * waits forever for the end of a multipart body that has no boundary.
 */
@ApplicationScoped
public class BodySizeLimit {

    /**
     * Methods whose body a route may read; a body sent with another (GET, HEAD, OPTIONS) is never read, and the body
     * handler refuses to decode a form for them.
     */
    private static final Set<HttpMethod> BODY_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    /** Reads a chunked body up to the limit; beyond it the router's failure handler answers the 413 problem. */
    private BodyHandler chunkedBodies;

    void install(@Observes Router router) {
        chunkedBodies = BodyHandler.create(false).setBodyLimit(maxBodySize.asLongValue())
                .setMergeFormAttributes(false);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::checkLength);
    }

    private void checkLength(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long limit = maxBodySize.asLongValue();
        String type = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && type.toLowerCase(Locale.ROOT).contains("multipart/")
                && BODY_METHODS.contains(context.request().method())) {
            EdgeProblems.endAndClose(context.response(), Problem.forStatus(415, "this gateway reads no multipart "
                    + "bodies; a rollback reason is sent as application/json"));
            return;
        }
        if (declared == null && context.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)
                && BODY_METHODS.contains(context.request().method())) {
            chunkedBodies.handle(context);
            return;
        }
        if (declared == null || parsedLength(declared) <= limit) {
            context.next();
            return;
        }
        // The body is not read; closing the connection spares reading what the client is still sending.
        EdgeProblems.endAndClose(context.response(),
                Problem.payloadTooLarge("the request body is larger than " + limit + " bytes"));
    }

    /** The declared length; one that is not a number is left to Quarkus, which refuses it. */
    private static long parsedLength(String declared) {
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
