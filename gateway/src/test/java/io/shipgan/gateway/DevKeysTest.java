package io.shipgan.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A local run without keys but with dev keys on: a user and an admin key generated, written 0600, and working. */
@QuarkusTest
@TestProfile(DevKeysTest.DevKeys.class)
@QuarkusTestResource(value = FakeGeneratorResource.class, restrictToAnnotatedClass = true)
class DevKeysTest {

    static final Path FILE = Path.of("target/dev-keys-test/dev-keys");

    @Test
    void writesAUserAndAnAdminKeyReadableByTheOwnerOnly() throws IOException {
        Map<String, String> keys = readKeys();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(FILE)));
        assertTrue(keys.get("SHIPGAN_USER_KEY").matches("shipgan-user-[A-Za-z0-9_-]{43}"), keys.toString());
        assertTrue(keys.get("SHIPGAN_ADMIN_KEY").matches("shipgan-admin-[A-Za-z0-9_-]{43}"), keys.toString());
        assertNotEquals(keys.get("SHIPGAN_USER_KEY").substring(13), keys.get("SHIPGAN_ADMIN_KEY").substring(14));
    }

    @Test
    void generatedKeysHaveTheirRoles() throws IOException {
        Map<String, String> keys = readKeys();
        String user = keys.get("SHIPGAN_USER_KEY");
        String admin = keys.get("SHIPGAN_ADMIN_KEY");

        given().header(TestKeys.HEADER, user).queryParam("seed", 7).when().get("/api/v1/images")
                .then().statusCode(200);
        given().header(TestKeys.HEADER, user).when().post("/api/v1/models/7/pin")
                .then().statusCode(403)
                .body("detail", equalTo("the API key 'dev-user' may not use this route; changing the rollout or "
                        + "the training needs a key with the admin role"));
        given().header(TestKeys.HEADER, admin).when().post("/api/v1/models/7/pin")
                .then().statusCode(200);
        given().header(TestKeys.HEADER, TestKeys.USER).when().get("/api/v1/models")
                .then().statusCode(401);
    }

    private static Map<String, String> readKeys() throws IOException {
        Map<String, String> keys = new HashMap<>();
        List<String> lines = Files.readAllLines(FILE);
        for (String line : lines) {
            if (!line.startsWith("#") && line.contains("=")) {
                keys.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        assertEquals(2, keys.size(), String.join("\n", lines));
        return keys;
    }

    /** No configured key, dev keys on, written under target/; a file left by an earlier run is removed first. */
    public static class DevKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.deleteIfExists(FILE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "shipgan.gateway.auth.keys", "",
                    "shipgan.gateway.auth.dev-keys", "true",
                    "shipgan.gateway.auth.dev-keys-file", FILE.toString());
        }
    }
}
