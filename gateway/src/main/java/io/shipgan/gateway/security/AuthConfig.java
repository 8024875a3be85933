package io.shipgan.gateway.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the gateway finds its API keys. Each entry reads {@code name:role:sha256hex}: a name for logs and limits,
 * {@code user} or {@code admin}, and the SHA-256 of the key in hex ({@code printf %s "$KEY" | sha256sum}); the keys
 * themselves are never configured.
 */
@ConfigMapping(prefix = "shipgan.gateway.auth")
public interface AuthConfig {

    /** Key entries, comma-separated; none by default (then only the keys file or dev keys give access). */
    Optional<List<String>> keys();

    /** A file of key entries, one per line ({@code #} starts a comment), e.g. a mounted secret; none by default. */
    Optional<Path> keysFile();

    /**
     * For local runs only: when no key is configured, generate one user and one admin key at start-up, write them
     * to {@link #devKeysFile()} and log them. Off by default, so a gateway without keys refuses every protected call.
     */
    @WithDefault("false")
    boolean devKeys();

    /** Where generated dev keys are written (owner read/write only); relative paths are to the working folder. */
    @WithDefault(".run/gateway/dev-keys")
    Path devKeysFile();
}
