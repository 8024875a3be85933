package io.shipgan.trainer;

import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.util.Set;

import static io.restassured.RestAssured.get;

/** Waits, over the status API, for a training run to end. */
public final class TrainingAwait {

    private static final Set<String> ENDED = Set.of("STOPPED", "FAILED");

    private TrainingAwait() {
    }

    /** The status once the run has stopped or failed. */
    public static JsonPath untilEnded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonPath status = get("/api/v1/training").then().statusCode(200).extract().jsonPath();
            if (ENDED.contains(status.getString("state"))) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("training did not end within " + timeout + ": " + status.prettify());
            }
            Thread.sleep(200);
        }
    }
}
