package io.shipgan.gateway.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Turns a presented API key into an identity: the key's name as principal and the roles its role grants. An unknown
 * key fails authentication (401); hashing one key is cheap enough for the I/O thread.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    /** Identity attribute holding the key's own role, which sizes its rate limit. */
    static final String ROLE_ATTRIBUTE = "shipgan.api-key.role";

    @Inject
    ApiKeys keys;

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        return keys.find(request.key())
                .map(key -> Uni.createFrom().<SecurityIdentity>item(identityOf(key)))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException(keys.isEmpty()
                        ? "this gateway has no API keys configured and refuses every protected call"
                        : "the API key in X-API-Key is not valid")));
    }

    private static SecurityIdentity identityOf(ApiKey key) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(key.name()))
                .addRoles(Roles.grantedTo(key.role()))
                .addAttribute(ROLE_ATTRIBUTE, key.role())
                .build();
    }
}
