package io.shipgan.gateway.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key presented in {@code X-API-Key}, on its way to {@link ApiKeyIdentityProvider}. */
public class ApiKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
