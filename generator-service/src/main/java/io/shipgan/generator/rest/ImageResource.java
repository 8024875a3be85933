package io.shipgan.generator.rest;

import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.imaging.NpyEncoder;
import io.shipgan.generator.imaging.PngEncoder;
import io.shipgan.generator.metrics.GeneratorMetrics;
import io.shipgan.generator.sampling.LatentPath;
import io.shipgan.generator.sampling.Sampler;
import io.shipgan.generator.sampling.Samples;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Samples images from the active model: a PNG (one image, or a grid when more than one sample is asked for) or
 * the raw float32 tensor as {@code .npy}; and interpolation strips between two seeds. A conditional model draws the
 * label asked for, by default its first one.
 */
@Path("/api/v1/images")
public class ImageResource {

    public static final String MODEL_VERSION_HEADER = "X-Model-Version";
    public static final String SEED_HEADER = "X-Seed";
    /** The label the images were drawn for; absent when the model is unconditional. */
    public static final String LABEL_HEADER = "X-Label";
    static final String PNG = "image/png";

    /** Steps of an interpolation when none are asked for. */
    static final int DEFAULT_STEPS = 8;

    private final Sampler sampler;
    private final GeneratorConfig config;
    private final GeneratorMetrics metrics;

    public ImageResource(Sampler sampler, GeneratorConfig config, GeneratorMetrics metrics) {
        this.sampler = sampler;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * @param count  samples in the image, 1 to {@code shipgan.generator.max-count}, default 1
     * @param seed   any long; the same seed and model version give the same bytes. A random one when absent,
     *               returned in {@value #SEED_HEADER} so that the image can be asked for again
     * @param label  one of the active model's labels (e.g. {@code ship}, {@code no-ship}), default its first; an
     *               unconditional model takes none, and a label a model does not draw is a 422. The label drawn
     *               is returned in {@value #LABEL_HEADER}
     * @param format {@code png} or {@code npy}; absent, the Accept header decides ({@code application/x-npy})
     */
    @GET
    @Produces({PNG, NpyEncoder.MEDIA_TYPE})
    public Response sampleImages(@RestQuery String count, @RestQuery String seed, @RestQuery String label,
                                 @RestQuery String format, @Context HttpHeaders headers) {
        int samples = (int) QueryParameters.boundedLong("count", count, 1, 1, config.maxCount());
        long chosenSeed = QueryParameters.boundedLong("seed", seed, ThreadLocalRandom.current().nextLong(),
                Long.MIN_VALUE, Long.MAX_VALUE);
        OutputFormat output = OutputFormat.choose(format, headers);

        Samples drawn = sampler.sample(chosenSeed, samples, label);
        metrics.countSamples(drawn);
        Response.ResponseBuilder response = output == OutputFormat.NPY
                ? npyResponse(drawn, baseName(drawn) + "-seed" + chosenSeed + "-n" + samples)
                : Response.ok(PngEncoder.encodePng(drawn), PNG);
        return withProvenance(response, drawn)
                .header(SEED_HEADER, chosenSeed)
                .build();
    }

    /**
     * A strip of {@code steps} images on the latent path from seed {@code from}'s single image to seed
     * {@code to}'s: the first and last tiles are exactly {@code ?seed=from} and {@code ?seed=to}.
     *
     * @param from   seed of the first image, required
     * @param to     seed of the last image, required
     * @param steps  images in the strip, 2 to {@code shipgan.generator.max-count}, default {@value #DEFAULT_STEPS}
     * @param mode   {@code slerp} (default: along the arc, as suits Gaussian latents) or {@code lerp}
     * @param label  the label of every step, as for single images
     * @param format {@code png} (one row, 2 px gaps) or {@code npy}; absent, the Accept header decides
     */
    @GET
    @Path("interpolation")
    @Produces({PNG, NpyEncoder.MEDIA_TYPE})
    public Response interpolate(@RestQuery String from, @RestQuery String to, @RestQuery String steps,
                                @RestQuery String mode, @RestQuery String label, @RestQuery String format,
                                @Context HttpHeaders headers) {
        long fromSeed = QueryParameters.requiredLong("from", from, Long.MIN_VALUE, Long.MAX_VALUE);
        long toSeed = QueryParameters.requiredLong("to", to, Long.MIN_VALUE, Long.MAX_VALUE);
        int stepCount = (int) QueryParameters.boundedLong("steps", steps, Math.min(DEFAULT_STEPS, config.maxCount()),
                2, Math.max(2, config.maxCount()));
        LatentPath.Mode pathMode = LatentPath.Mode.valueOf(QueryParameters.choice("mode", mode, "slerp",
                List.of("slerp", "lerp")).toUpperCase(Locale.ROOT));
        OutputFormat output = OutputFormat.choose(format, headers);

        Samples drawn = sampler.interpolate(fromSeed, toSeed, stepCount, pathMode, label);
        metrics.countSamples(drawn);
        Response.ResponseBuilder response = output == OutputFormat.NPY
                ? npyResponse(drawn, baseName(drawn) + "-" + fromSeed + "-to-" + toSeed)
                : Response.ok(PngEncoder.encodeStripPng(drawn), PNG);
        return withProvenance(response, drawn).build();
    }

    /** The version that drew the images and, for a conditional model, their label. */
    private static Response.ResponseBuilder withProvenance(Response.ResponseBuilder response, Samples drawn) {
        response.header(MODEL_VERSION_HEADER, drawn.version());
        if (drawn.label() != null) {
            response.header(LABEL_HEADER, drawn.label());
        }
        return response;
    }

    /** {@code shipgan-v12}, or {@code shipgan-v12-ship} for a conditional model's images. */
    private static String baseName(Samples drawn) {
        return "shipgan-v" + drawn.version() + (drawn.label() == null ? "" : "-" + fileSafe(drawn.label()));
    }

    /** A label as part of a file name: anything but letters, digits, '-', '_' and '.' becomes '_'. */
    private static String fileSafe(String label) {
        return label.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static Response.ResponseBuilder npyResponse(Samples samples, String baseName) {
        return Response.ok(NpyEncoder.encodeNpy(samples), NpyEncoder.MEDIA_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + baseName + ".npy\"");
    }
}
