package io.shipgan.generator.sampling;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.IntFunction;

/**
 * Turns requests into generator output: leases the model the request is routed to, builds its latents, and runs
 * them, with the label asked for when the model is conditional, through the dynamic batcher. A canary's output is
 * checked, and a request the canary fails is answered by the active model instead, so users never see a canary's
 * failure.
 */
@ApplicationScoped
public class Sampler {

    private final ActiveModel activeModel;
    private final DynamicBatcher batcher;

    public Sampler(ActiveModel activeModel, DynamicBatcher batcher) {
        this.activeModel = activeModel;
        this.batcher = batcher;
    }

    /**
     * Samples {@code count} images of {@code seed}: sample i has the latent of (seed, i), whatever the label.
     *
     * @param label the label to draw, or null for the model's default (its first label; none when unconditional)
     * @throws NoActiveModelException when no checkpoint has been activated yet
     * @throws LabelNotDrawnException when the active model does not draw {@code label}
     * @throws SamplingException      when ONNX Runtime fails
     */
    public Samples sample(long seed, int count, String label) {
        return sampleLatents(count, label, latentSize -> Latents.forRequest(seed, count, latentSize));
    }

    /** {@link #sample(long, int, String)} with the model's default label. */
    public Samples sample(long seed, int count) {
        return sample(seed, count, null);
    }

    /**
     * Samples {@code steps} images on the latent path from sample 0 of {@code fromSeed} to sample 0 of
     * {@code toSeed}, all of one label; the first and last are those two seeds' single images.
     */
    public Samples interpolate(long fromSeed, long toSeed, int steps, LatentPath.Mode mode, String label) {
        return sampleLatents(steps, label,
                latentSize -> LatentPath.between(fromSeed, toSeed, steps, latentSize, mode));
    }

    private Samples sampleLatents(int count, String label, IntFunction<float[]> latentsForSize) {
        try (ModelLease lease = activeModel.acquire().orElseThrow(NoActiveModelException::new)) {
            if (lease.canary() == null) {
                return runOn(lease.model(), count, label, latentsForSize);
            }
            if (lease.model().modelInterface().draws(label)) {
                return sampleOnCanary(lease.canary(), lease.model(), count, label, latentsForSize);
            }
        }
        // The canary does not draw this label: the active model answers, and the trial is not charged with it.
        return runOnActive(count, label, latentsForSize);
    }

    private Samples sampleOnCanary(Canary canary, LoadedModel model, int count, String label,
                                   IntFunction<float[]> latents) {
        String failure;
        try {
            Samples samples = runOn(model, count, label, latents);
            String violation = OutputCheck.findViolation(samples.values());
            if (violation == null) {
                canary.recordSuccess();
                return clamped(samples);
            }
            failure = "canary " + model.version() + " " + violation;
        } catch (SamplingException e) {
            failure = e.getMessage();
        }
        canary.recordFailure(failure);
        Log.debugf("%s; answering from the active model", failure);
        return runOnActive(count, label, latents);
    }

    private Samples runOnActive(int count, String label, IntFunction<float[]> latents) {
        try (ModelLease active = activeModel.acquireActive().orElseThrow(NoActiveModelException::new)) {
            return clamped(runOn(active.model(), count, label, latents));
        }
    }

    /** A validated model stays within rounding of [-1, 1]; what is served is exactly in it. */
    private static Samples clamped(Samples samples) {
        OutputCheck.clamp(samples.values());
        return samples;
    }

    private Samples runOn(LoadedModel model, int count, String label, IntFunction<float[]> latentsForSize) {
        ModelInterface modelInterface = model.modelInterface();
        if (!modelInterface.draws(label)) {
            throw new LabelNotDrawnException(label, model.version(), modelInterface.labels());
        }
        float[] latents = latentsForSize.apply(modelInterface.latentSize());
        long[] labels = modelInterface.labelRows(label, count);
        float[] values = batcher.runGenerator(model, latents, labels, count);
        String drawn = label == null ? modelInterface.defaultLabel() : label;
        return new Samples(model.version(), modelInterface, count, values, drawn);
    }
}
