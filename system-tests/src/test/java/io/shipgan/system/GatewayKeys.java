package io.shipgan.system;

import io.shipgan.checkpoint.CheckpointRecord;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The API keys a test starts the gateway with and sends in {@code X-API-Key}: new random keys for each test run, of
 * which the gateway is given only the SHA-256 digests, as in production.
 */
public final class GatewayKeys {

    public static final String HEADER = "X-API-Key";
    public static final String USER = newKey("user");
    public static final String ADMIN = newKey("admin");

    private GatewayKeys() {
    }

    /** The gateway's settings for both keys: entries {@code name:role:sha256hex}. */
    public static Map<String, String> gatewayProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("shipgan.gateway.auth.keys",
                "test-admin:admin:" + sha256Hex(ADMIN) + ",test-user:user:" + sha256Hex(USER));
        return properties;
    }

    /** As {@link #gatewayProperties()}, with rate limits no test reaches, for tests that ask in a tight loop. */
    public static Map<String, String> gatewayPropertiesWithoutRateLimits() {
        Map<String, String> properties = gatewayProperties();
        for (String role : new String[] {"user", "admin"}) {
            properties.put("shipgan.gateway.rate-limit." + role + ".requests-per-second", "1000000");
            properties.put("shipgan.gateway.rate-limit." + role + ".burst", "1000000");
        }
        return properties;
    }

    static String sha256Hex(String key) {
        return CheckpointRecord.sha256Hex(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String newKey(String role) {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "system-test-" + role + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
