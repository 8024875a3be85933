package io.shipgan.generator.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.shipgan.generator.checkpoint.CheckpointActivation;
import io.shipgan.generator.checkpoint.CheckpointActivation.Outcome;
import io.shipgan.generator.rollout.Rollout;
import io.shipgan.generator.rollout.VersionRecord;
import io.shipgan.generator.testing.NpyFile;
import io.shipgan.generator.testing.TestCheckpoints;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The image API with a conditional model active: the label parameter, its default, its header and its errors. */
@QuarkusTest
class ConditionalImagesTest {

    @Inject
    CheckpointActivation activation;

    @Inject
    Rollout rollout;

    private long version;

    @BeforeEach
    void activateAConditionalCheckpoint() {
        version = rollout.versions().stream().mapToLong(VersionRecord::version).max().orElse(0L) + 1;
        assertEquals(Outcome.ACTIVATED, activation.offer(TestCheckpoints.conditionalCandidate(version, 70 + version)));
    }

    @Test
    void drawsTheFirstLabelWhenNoneIsAsked() {
        Response byDefault = get("/api/v1/images", "seed", 3);
        Response ship = get("/api/v1/images", "seed", 3, "label", "ship");

        assertEquals("ship", byDefault.header(ImageResource.LABEL_HEADER));
        assertEquals("ship", ship.header(ImageResource.LABEL_HEADER));
        assertEquals(Long.toString(version), ship.header(ImageResource.MODEL_VERSION_HEADER));
        assertArrayEquals(ship.asByteArray(), byDefault.asByteArray());
    }

    @Test
    void eachLabelDrawsItsOwnImagesFromTheSameSeed() {
        Response ship = get("/api/v1/images", "seed", 3, "count", 4, "label", "ship");
        Response noShip = get("/api/v1/images", "seed", 3, "count", 4, "label", "no-ship");
        Response again = get("/api/v1/images", "seed", 3, "count", 4, "label", "no-ship");

        assertEquals("no-ship", noShip.header(ImageResource.LABEL_HEADER));
        assertFalse(Arrays.equals(ship.asByteArray(), noShip.asByteArray()));
        assertArrayEquals(noShip.asByteArray(), again.asByteArray(), "same seed, label and version: same bytes");
    }

    @Test
    void interpolatesWithinOneLabel() throws IOException {
        Response strip = get("/api/v1/images/interpolation", "from", 5, "to", 9, "steps", 3, "label", "no-ship");
        BufferedImage from = decode(get("/api/v1/images", "seed", 5, "label", "no-ship").asByteArray());
        BufferedImage to = decode(get("/api/v1/images", "seed", 9, "label", "no-ship").asByteArray());
        BufferedImage tiles = decode(strip.asByteArray());

        assertEquals("no-ship", strip.header(ImageResource.LABEL_HEADER));
        assertArrayEquals(pixels(from, 0), pixels(tiles, 0), "the first step is seed 5's no-ship image");
        assertArrayEquals(pixels(to, 0), pixels(tiles, 2 * 82), "the last step is seed 9's no-ship image");
    }

    @Test
    void namesTheLabelInTheNpyFileName() {
        Response npy = get("/api/v1/images", "seed", 21, "count", 2, "label", "no-ship", "format", "npy");

        assertEquals("attachment; filename=\"shipgan-v" + version + "-no-ship-seed21-n2.npy\"",
                npy.header("Content-Disposition"));
        assertEquals(List.of(2, 3, 80, 80), NpyFile.parse(npy.asByteArray()).shape());
    }

    @Test
    void refusesALabelTheModelDoesNotDrawNamingTheParameter() {
        for (String path : List.of("/api/v1/images", "/api/v1/images/interpolation")) {
            for (String label : List.of("cat", "Ship", "no_ship")) {
                given().queryParam("from", 1).queryParam("to", 2).queryParam("label", label)
                        .when().get(path)
                        .then().statusCode(422)
                        .contentType(Problem.MEDIA_TYPE)
                        .body("status", equalTo(422))
                        .body("detail", equalTo("query parameter 'label' must be one of ship, no-ship (the labels "
                                + "model " + version + " draws); got '" + label + "'"));
            }
        }
    }

    @Test
    void listsTheLabelsOfTheActiveModelAndOfEachVersion() {
        given().when().get("/api/v1/models")
                .then().statusCode(200)
                .body("active.version", equalTo((int) version))
                .body("active.labels", equalTo(List.of("ship", "no-ship")))
                .body("active.metadata.labels", equalTo(List.of("ship", "no-ship")))
                .body("versions[0].version", equalTo((int) version))
                .body("versions[0].labels", equalTo(List.of("ship", "no-ship")));
    }

    private static Response get(String path, Object... params) {
        var request = given();
        for (int i = 0; i < params.length; i += 2) {
            request = request.queryParam((String) params[i], params[i + 1]);
        }
        Response response = request.when().get(path);
        assertEquals(200, response.statusCode(), response.asString());
        return response;
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static int[] pixels(BufferedImage image, int x0) {
        return image.getRGB(x0, 0, 80, 80, null, 0, 80);
    }
}
