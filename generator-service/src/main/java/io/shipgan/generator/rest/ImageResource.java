package io.shipgan.generator.rest;

import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.imaging.PngEncoder;
import io.shipgan.generator.sampling.Sampler;
import io.shipgan.generator.sampling.Samples;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.concurrent.ThreadLocalRandom;

/** Samples images from the active model: one PNG per request, a grid when more than one sample is asked for. */
@Path("/api/v1/images")
public class ImageResource {

    public static final String MODEL_VERSION_HEADER = "X-Model-Version";
    public static final String SEED_HEADER = "X-Seed";
    static final String PNG = "image/png";

    private final Sampler sampler;
    private final GeneratorConfig config;

    public ImageResource(Sampler sampler, GeneratorConfig config) {
        this.sampler = sampler;
        this.config = config;
    }

    /**
     * @param count samples in the image, 1 to {@code shipgan.generator.max-count}, default 1
     * @param seed  any long; the same seed and model version give the same bytes. A random one when absent,
     *              returned in {@value #SEED_HEADER} so that the image can be asked for again
     */
    @GET
    @Produces(PNG)
    public Response sampleImages(@RestQuery String count, @RestQuery String seed) {
        int samples = (int) QueryParameters.boundedLong("count", count, 1, 1, config.maxCount());
        long chosenSeed = QueryParameters.boundedLong("seed", seed, ThreadLocalRandom.current().nextLong(),
                Long.MIN_VALUE, Long.MAX_VALUE);

        Samples output = sampler.sample(chosenSeed, samples);
        byte[] png = PngEncoder.encodePng(output);
        return Response.ok(png, PNG)
                .header(MODEL_VERSION_HEADER, output.version())
                .header(SEED_HEADER, chosenSeed)
                .build();
    }
}
