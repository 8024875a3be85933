package io.shipgan.system;

import io.shipgan.checkpoint.CheckpointRecord;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The API keys a system test sends in {@code X-API-Key}, new for every run, and the gateway setting that knows
 * them: {@code name:role:sha256hex} entries, the gateway keeping only the hashes.
 */
final class TestApiKeys {

    /** The gateway's key list; a gateway without authentication ignores it. */
    static final String GATEWAY_PROPERTY = "shipgan.gateway.auth.keys";

    static final String USER = newKey("user");
    static final String ADMIN = newKey("admin");

    private TestApiKeys() {
    }

    /** The value of {@link #GATEWAY_PROPERTY} naming both keys with their roles. */
    static String gatewayProperty() {
        return "test-admin:admin:" + sha256Hex(ADMIN) + ",test-user:user:" + sha256Hex(USER);
    }

    private static String newKey(String role) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return "test-" + role + "-" + HexFormat.of().formatHex(random);
    }

    private static String sha256Hex(String key) {
        return CheckpointRecord.sha256Hex(key.getBytes(StandardCharsets.UTF_8));
    }
}
