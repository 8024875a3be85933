package io.shipgan.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gateway's own settings; where the backends live is set by the REST client keys in application.properties. */
@ConfigMapping(prefix = "shipgan.gateway")
public interface GatewayConfig {

    /** Largest {@code count} of samples one image request may ask for. */
    @WithDefault("64")
    int maxCount();

    /** Seconds a client is told to wait ({@code Retry-After}) when no generator can answer. */
    @WithDefault("5")
    int retryAfterSeconds();
}
