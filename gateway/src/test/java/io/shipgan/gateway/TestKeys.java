package io.shipgan.gateway;

import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/**
 * The API keys the gateway's tests send. application.properties holds only their SHA-256 digests (profile
 * {@code test}); {@code GatewaySecurityTest} proves that these keys match them.
 */
final class TestKeys {

    static final String HEADER = "X-API-Key";
    static final String USER = "test-user-key-0123456789";
    static final String ADMIN = "test-admin-key-0123456789";

    private TestKeys() {
    }

    /** A request carrying the user key. */
    static RequestSpecification asUser() {
        return given().header(HEADER, USER);
    }

    /** A request carrying the admin key. */
    static RequestSpecification asAdmin() {
        return given().header(HEADER, ADMIN);
    }
}
