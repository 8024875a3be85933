package io.shipgan.generator.testing;

import io.restassured.path.json.JsonPath;

import java.time.Duration;

import static io.restassured.RestAssured.given;

/** The generator's models view over HTTP, as the Quarkus tests read it. */
public final class ModelsApi {

    private ModelsApi() {
    }

    /** {@code GET /api/v1/models}, which must answer 200. */
    public static JsonPath models() {
        return given().when().get("/api/v1/models").then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the models view names {@code version} as the active model. */
    public static void awaitActiveVersion(long version, Duration timeout) {
        Await.until("model " + version + " active", timeout, () -> {
            JsonPath models = models();
            return models.get("active") != null && models.getLong("active.version") == version;
        });
    }
}
