package io.shipgan.gateway.edge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The size of a request's head that the gateway itself allows, answered with a 414 or 431 problem beyond it. These
 * stay well below Vert.x's codec limits ({@code quarkus.http.limits.max-initial-line-length} and
 * {@code max-header-size}), which refuse with an empty body that the gateway cannot replace.
 */
@ConfigMapping(prefix = "shipgan.gateway.request")
public interface RequestLimitsConfig {

    /** Longest request target (path and query string, as sent) in characters; beyond it 414. */
    @WithDefault("8192")
    int maxUriLength();

    /** Most header fields in one request; beyond it 431. */
    @WithDefault("100")
    int maxHeaders();

    /** Most bytes of all header names and values together; beyond it 431. */
    @WithDefault("16384")
    int maxHeaderBytes();
}
