package io.shipgan.gateway.security;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.shipgan.gateway.rest.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Applies {@link RateLimiter} to every API request made with a key; an anonymous request is left to the security
 * checks, which refuse it on protected routes. Over the limit the answer is 429 with {@code Retry-After}.
 */
public class RateLimitFilter {

    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    RateLimiter limiter;

    @ServerRequestFilter
    public Uni<Response> limitRate() {
        return identities.getDeferredIdentity().map(identity -> {
            if (identity.isAnonymous()) {
                return null;
            }
            String role = identity.getAttribute(ApiKeyIdentityProvider.ROLE_ATTRIBUTE);
            long waitSeconds = limiter.acquire(identity.getPrincipal().getName(), role);
            if (waitSeconds == 0) {
                return null;
            }
            return Problem.tooManyRequests("the API key '" + identity.getPrincipal().getName()
                            + "' made more requests than its rate limit allows; retry after " + waitSeconds + " s")
                    .toResponse()
                    .header(HttpHeaders.RETRY_AFTER, waitSeconds)
                    .build();
        });
    }
}
