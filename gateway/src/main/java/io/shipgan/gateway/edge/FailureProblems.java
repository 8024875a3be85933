package io.shipgan.gateway.edge;

import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.shipgan.gateway.rest.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Renders every failure on the Vert.x level (one that no JAX-RS exception mapper saw: a refused body, a request
 * Vert.x Web cannot route, a failure in a Quarkus handler) as a problem, so no such answer goes out with an empty or
 * a framework-shaped body. It is looked up before Quarkus's own error handler, which would answer with an error id
 * in its own JSON.
 */
@ApplicationScoped
public class FailureProblems {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> render(context, statusOf(context)));
        // A request whose path Vert.x Web cannot normalise (a bad escape in the path) fails before any route matches
        // it; the router then looks for an error handler of the status it chose instead.
        for (int status = 400; status < 600; status++) {
            int chosen = status;
            router.errorHandler(status, context -> render(context, chosen));
        }
    }

    private void render(RoutingContext context, int status) {
        if (context.response().headWritten()) {
            // Part of an answer is out; only the connection can still tell the client that it is broken.
            context.response().close();
            return;
        }
        if (status >= 500) {
            Log.errorf(context.failure(), "%s %s failed with %d", context.request().method(),
                    context.request().path(), status);
        } else {
            Log.debugf("%s %s refused with %d: %s", context.request().method(), context.request().path(), status,
                    context.failure());
        }
        EdgeProblems.endAndClose(context.response(), Problem.forStatus(status, detail(context, status)));
    }

    /** Vert.x Web fails a path it cannot decode before the gateway's own check runs; that check still names why. */
    private static String badRequestDetail(RoutingContext context) {
        String refusal = StrictRequests.requestLineRefusal(context.request());
        return refusal != null ? refusal : "the request could not be read: its head, body or encoding is malformed";
    }

    private static int statusOf(RoutingContext context) {
        if (context.statusCode() >= 400) {
            return context.statusCode();
        }
        if (context.failure() instanceof HttpException http && http.getStatusCode() >= 400) {
            return http.getStatusCode();
        }
        return 500;
    }

    /** What the caller is told; never the failure's own message, which may name internals. */
    private String detail(RoutingContext context, int status) {
        return switch (status) {
            case 400 -> badRequestDetail(context);
            case 404 -> "no such resource; the API lives under /api/v1";
            case 405 -> "this method is not allowed on this resource";
            case 413 -> "the request body is larger than " + maxBodySize.asLongValue() + " bytes";
            case 414 -> "the request target is longer than this gateway accepts";
            case 431 -> "the request's header fields are larger than this gateway accepts";
            default -> status >= 500 ? "the gateway failed to handle this request; it has been logged"
                    : "the request was refused with status " + status;
        };
    }
}
