package io.shipgan.gateway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the gateway with Quarkus's own check of the request target switched off: that check (a
 * {@code java.net.URI} parse before any route) refuses a malformed target with an empty 400, while the gateway's
 * stricter check ({@code edge.StrictRequests}) refuses the same requests with a problem that names what is wrong.
 * Quarkus reads the switch once, when its HTTP recorder class loads, so it has to be set before Quarkus starts; the
 * gateway's tests set it in the pom for the same reason.
 */
@QuarkusMain
public final class GatewayMain {

    /** The system property Quarkus reads; true turns its check of the request target off. */
    public static final String QUARKUS_URI_VALIDATION_OFF = "vertx.disableURIValidation";

    GatewayMain() {
    }

    public static void main(String... args) {
        System.setProperty(QUARKUS_URI_VALIDATION_OFF, "true");
        Quarkus.run(args);
    }
}
