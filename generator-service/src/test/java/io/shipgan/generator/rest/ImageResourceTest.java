package io.shipgan.generator.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.generator.checkpoint.CheckpointActivation;
import io.shipgan.generator.checkpoint.CheckpointActivation.Outcome;
import io.shipgan.generator.rollout.Rollout;
import io.shipgan.generator.rollout.VersionRecord;
import io.shipgan.generator.sampling.Sampler;
import io.shipgan.generator.testing.GeneratorModels;
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
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The image API over HTTP, with checkpoints fed straight into the running application. */
@QuarkusTest
class ImageResourceTest {

    @Inject
    CheckpointActivation activation;

    @Inject
    Sampler sampler;

    @Inject
    Rollout rollout;

    private long version;

    @BeforeEach
    void activateAFreshCheckpoint() {
        // Newer than every version met so far: a rejected one is never offered again.
        version = rollout.versions().stream().mapToLong(VersionRecord::version).max().orElse(0L) + 1;
        assertEquals(Outcome.ACTIVATED, activation.offer(TestCheckpoints.goodCandidate(version, 1000 + version)));
    }

    @Test
    void sameSeedAndVersionGiveIdenticalPngBytes() {
        byte[] first = image("count", 4, "seed", 42).asByteArray();
        byte[] second = image("count", 4, "seed", 42).asByteArray();

        assertArrayEquals(first, second);
    }

    @Test
    void answersWithThePngAndTheVersionAndSeedThatMadeIt() throws IOException {
        Response response = image("seed", -7);

        assertEquals(200, response.statusCode());
        assertEquals("image/png", response.contentType());
        assertEquals(Long.toString(version), response.header(ImageResource.MODEL_VERSION_HEADER));
        assertEquals("-7", response.header(ImageResource.SEED_HEADER));
        BufferedImage decoded = decode(response.asByteArray());
        assertEquals(80, decoded.getWidth());
        assertEquals(80, decoded.getHeight());
    }

    @Test
    void differentSeedsGiveDifferentImages() {
        byte[] one = image("seed", 1).asByteArray();
        byte[] two = image("seed", 2).asByteArray();

        assertFalse(Arrays.equals(one, two));
    }

    @Test
    void picksAndReturnsASeedWhenNoneIsGiven() {
        Response unseeded = given().when().get("/api/v1/images");
        String seed = unseeded.header(ImageResource.SEED_HEADER);
        assertNotNull(seed);

        byte[] again = image("seed", Long.parseLong(seed)).asByteArray();

        assertArrayEquals(unseeded.asByteArray(), again, "the returned seed reproduces the image");
    }

    @Test
    void sampleIsTheSameWhetherOneOrFourWereAsked() throws IOException {
        BufferedImage single = decode(image("count", 1, "seed", 99).asByteArray());
        BufferedImage grid = decode(image("count", 4, "seed", 99).asByteArray());
        BufferedImage pair = decode(image("count", 2, "seed", 99).asByteArray());

        assertEquals(162, grid.getWidth());
        assertEquals(162, grid.getHeight());
        assertArrayEquals(pixels(single, 0, 0), pixels(grid, 0, 0), "sample 0");
        assertArrayEquals(pixels(pair, 82, 0), pixels(grid, 82, 0), "sample 1");
    }

    @Test
    void aNewerCheckpointChangesVersionAndImage() {
        byte[] before = image("seed", 5).asByteArray();
        activation.offer(TestCheckpoints.goodCandidate(version + 1, 5000 + version));

        Response after = image("seed", 5);

        assertEquals(Long.toString(version + 1), after.header(ImageResource.MODEL_VERSION_HEADER));
        assertFalse(Arrays.equals(before, after.asByteArray()));
    }

    @Test
    void servesTheLargestCountAllowed() throws IOException {
        BufferedImage grid = decode(image("count", 64, "seed", 3).asByteArray());

        assertEquals(8 * 80 + 7 * 2, grid.getWidth());
        assertEquals(8 * 80 + 7 * 2, grid.getHeight());
    }

    @Test
    void refusesCountZero() {
        assertBadParameter("count", "0", "query parameter 'count' must be an integer from 1 to 64; got '0'");
    }

    @Test
    void refusesCountAboveTheMaximum() {
        assertBadParameter("count", "65", "query parameter 'count' must be an integer from 1 to 64; got '65'");
    }

    @Test
    void refusesACountThatIsNotANumber() {
        assertBadParameter("count", "abc", "query parameter 'count' must be an integer from 1 to 64; got 'abc'");
    }

    @Test
    void refusesASeedThatIsNotANumber() {
        assertBadParameter("seed", "xyz", "query parameter 'seed' must be an integer from " + Long.MIN_VALUE
                + " to " + Long.MAX_VALUE + "; got 'xyz'");
    }

    @Test
    void refusesASeedBeyondALong() {
        assertBadParameter("seed", "9223372036854775808", "query parameter 'seed' must be an integer from "
                + Long.MIN_VALUE + " to " + Long.MAX_VALUE + "; got '9223372036854775808'");
    }

    @Test
    void describesTheActiveModelAndRecentRejections() {
        byte[] onnx = GeneratorModels.dcgan(3).build();
        CheckpointMetadata wrongDigest = TestCheckpoints.metadata(version + 1, onnx, "ab".repeat(32),
                List.of(3, 80, 80));
        activation.offer(TestCheckpoints.candidate(wrongDigest, onnx));

        given().when().get("/api/v1/models")
                .then().statusCode(200)
                .contentType("application/json")
                .body("modelName", equalTo("shipgan-dcgan"))
                .body("active.version", equalTo((int) version))
                .body("active.device", equalTo("cpu"))
                .body("active.activatedAt", startsWith("20"))
                .body("active.metadata.version", equalTo((int) version))
                .body("active.metadata.outputShape", equalTo(List.of(3, 80, 80)))
                .body("active.metadata.latentSize", equalTo(100))
                .body("active.labels", equalTo(List.of()))
                .body("rejected[0].version", equalTo((int) version + 1))
                .body("rejected[0].reason", startsWith("SHA-256 mismatch (expected abababababab…, got "))
                .body("rejected[0].at", startsWith("20"))
                .body("device.configured", equalTo("cpu"))
                .body("device.active", equalTo("cpu"))
                .body("policy.mode", equalTo("follow-latest"))
                .body("policy.gate.rules", equalTo(List.of("fd_ship:lower:10%", "ship_rate:higher:0.05")))
                .body("versions[0].version", equalTo((int) version + 1))
                .body("versions[0].status", equalTo("rejected"))
                .body("versions[1].version", equalTo((int) version))
                .body("versions[1].status", equalTo("active"))
                .body("counters.rejected", greaterThanOrEqualTo(1))
                .body("batching.enabled", equalTo(true))
                .body("batching.maxBatchSize", equalTo(64))
                .body("batching.maxWait", equalTo("PT0.002S"))
                .body("cache.enabled", equalTo(false))
                .body("cache.dir", endsWith("/.run/generator-8082/models"));
    }

    @Test
    void answersTheRawTensorAsNpyForFormatNpy() {
        Response response = image("count", 3, "seed", 21, "format", "npy");

        assertEquals("application/x-npy", response.contentType());
        assertEquals(Long.toString(version), response.header(ImageResource.MODEL_VERSION_HEADER));
        assertEquals("attachment; filename=\"shipgan-v" + version + "-seed21-n3.npy\"",
                response.header("Content-Disposition"));
        NpyFile npy = NpyFile.parse(response.asByteArray());
        assertEquals(List.of(3, 3, 80, 80), npy.shape());
        assertArrayEquals(sampler.sample(21L, 3).values(), npy.values(), "the generator's floats, unrounded");
    }

    @Test
    void answersNpyWhenTheAcceptHeaderAsksForIt() {
        Response response = given().accept("application/x-npy").queryParam("seed", 8)
                .when().get("/api/v1/images");

        assertEquals(200, response.statusCode());
        assertEquals("application/x-npy", response.contentType());
        assertEquals(List.of(1, 3, 80, 80), NpyFile.parse(response.asByteArray()).shape());
    }

    @Test
    void anUnconditionalModelDrawsWithoutLabelAndRefusesOne() {
        Response response = image("seed", 4);
        assertNull(response.header(ImageResource.LABEL_HEADER), "no label header for an unconditional model");

        for (String path : List.of("/api/v1/images", "/api/v1/images/interpolation")) {
            given().queryParam("from", 1).queryParam("to", 2).queryParam("seed", 4).queryParam("label", "ship")
                    .when().get(path)
                    .then().statusCode(422)
                    .contentType(Problem.MEDIA_TYPE)
                    .body("status", equalTo(422))
                    .body("title", equalTo("Unprocessable Content"))
                    .body("detail", equalTo("query parameter 'label' cannot be used: model " + version
                            + " is unconditional and draws no labels; got 'ship'"));
        }
    }

    @Test
    void refusesAnUnknownFormat() {
        assertBadParameter("format", "jpg", "query parameter 'format' must be one of png, npy; got 'jpg'");
    }

    @Test
    void drawsAnInterpolationStripFromOneSeedsImageToTheOthers() throws IOException {
        Response response = get("/api/v1/images/interpolation", "from", 5, "to", 9, "steps", 6);
        BufferedImage strip = decode(response.asByteArray());
        BufferedImage from = decode(image("seed", 5).asByteArray());
        BufferedImage to = decode(image("seed", 9).asByteArray());

        assertEquals("image/png", response.contentType());
        assertEquals(Long.toString(version), response.header(ImageResource.MODEL_VERSION_HEADER));
        assertEquals(6 * 80 + 5 * 2, strip.getWidth());
        assertEquals(80, strip.getHeight());
        assertArrayEquals(pixels(from, 0, 0), pixels(strip, 0, 0), "the first step is seed 5's image");
        assertArrayEquals(pixels(to, 0, 0), pixels(strip, 5 * 82, 0), "the last step is seed 9's image");
        assertFalse(Arrays.equals(pixels(from, 0, 0), pixels(strip, 2 * 82, 0)), "the middle is neither");
    }

    @Test
    void interpolatesAsNpyWithEitherMode() {
        for (String mode : List.of("slerp", "lerp")) {
            NpyFile npy = NpyFile.parse(get("/api/v1/images/interpolation", "from", 1, "to", 2, "steps", 4,
                    "mode", mode, "format", "npy").asByteArray());

            assertEquals(List.of(4, 3, 80, 80), npy.shape(), mode);
            float[] first = Arrays.copyOfRange(npy.values(), 0, 3 * 80 * 80);
            assertArrayEquals(sampler.sample(1L, 1).values(), first, mode + ": step 0 is seed 1's sample");
        }
    }

    @Test
    void refusesAnInterpolationWithoutBothSeedsOrWithTooFewSteps() {
        assertBadRequest("/api/v1/images/interpolation", "query parameter 'from' is required: an integer from "
                + Long.MIN_VALUE + " to " + Long.MAX_VALUE, "to", 3);
        assertBadRequest("/api/v1/images/interpolation", "query parameter 'steps' must be an integer from 2 to "
                + "64; got '1'", "from", 1, "to", 3, "steps", 1);
        assertBadRequest("/api/v1/images/interpolation", "query parameter 'mode' must be one of slerp, lerp; "
                + "got 'cubic'", "from", 1, "to", 3, "mode", "cubic");
    }

    @Test
    void isReadyWithTheActiveVersionAndDevice() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].name", equalTo("active-model"))
                .body("checks[0].data.version", equalTo((int) version))
                .body("checks[0].data.device", equalTo("cpu"))
                .body("checks[0].data.configuredDevice", equalTo("cpu"));
    }

    @Test
    void answersUnknownPathsWithAProblem() {
        given().when().get("/api/v1/nothing-here")
                .then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"));
    }

    private static Response image(Object... params) {
        return get("/api/v1/images", params);
    }

    private static Response get(String path, Object... params) {
        Response response = request(params).when().get(path);
        assertEquals(200, response.statusCode(), response.asString());
        return response;
    }

    private static io.restassured.specification.RequestSpecification request(Object... params) {
        var request = given();
        for (int i = 0; i < params.length; i += 2) {
            request = request.queryParam((String) params[i], params[i + 1]);
        }
        return request;
    }

    private static void assertBadRequest(String path, String detail, Object... params) {
        request(params).when().get(path)
                .then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo(detail));
    }

    private static void assertBadParameter(String name, String value, String detail) {
        given().queryParam(name, value)
                .when().get("/api/v1/images")
                .then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Bad Request"))
                .body("status", equalTo(400))
                .body("detail", equalTo(detail));
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static int[] pixels(BufferedImage image, int x0, int y0) {
        return image.getRGB(x0, y0, 80, 80, null, 0, 80);
    }
}
