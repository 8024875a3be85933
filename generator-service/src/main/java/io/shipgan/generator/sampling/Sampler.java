package io.shipgan.generator.sampling;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.IntFunction;

/**
 * Turns requests into generator output: leases the model the request is routed to, builds its latents, and runs
 * them through the dynamic batcher. A canary's output is checked, and a request the canary fails is answered by
 * the active model instead, so users never see a canary's failure.
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
     * Samples {@code count} images of {@code seed}: sample i has the latent of (seed, i).
     *
     * @throws NoActiveModelException when no checkpoint has been activated yet
     * @throws SamplingException      when ONNX Runtime fails
     */
    public Samples sample(long seed, int count) {
        return sampleLatents(count, latentSize -> Latents.forRequest(seed, count, latentSize));
    }

    /**
     * Samples {@code steps} images on the latent path from sample 0 of {@code fromSeed} to sample 0 of
     * {@code toSeed}; the first and last are those two seeds' single images.
     */
    public Samples interpolate(long fromSeed, long toSeed, int steps, LatentPath.Mode mode) {
        return sampleLatents(steps, latentSize -> LatentPath.between(fromSeed, toSeed, steps, latentSize, mode));
    }

    private Samples sampleLatents(int count, IntFunction<float[]> latentsForSize) {
        try (ModelLease lease = activeModel.acquire().orElseThrow(NoActiveModelException::new)) {
            if (lease.canary() != null) {
                return sampleOnCanary(lease.canary(), lease.model(), count, latentsForSize);
            }
            return runOn(lease.model(), count, latentsForSize);
        }
    }

    private Samples sampleOnCanary(Canary canary, LoadedModel model, int count, IntFunction<float[]> latents) {
        String failure;
        try {
            Samples samples = runOn(model, count, latents);
            String violation = OutputCheck.findViolation(samples.values());
            if (violation == null) {
                canary.recordSuccess();
                return samples;
            }
            failure = "canary " + model.version() + " " + violation;
        } catch (SamplingException e) {
            failure = e.getMessage();
        }
        canary.recordFailure(failure);
        Log.debugf("%s; answering from the active model", failure);
        try (ModelLease active = activeModel.acquireActive().orElseThrow(NoActiveModelException::new)) {
            return runOn(active.model(), count, latents);
        }
    }

    private Samples runOn(LoadedModel model, int count, IntFunction<float[]> latentsForSize) {
        ModelInterface modelInterface = model.modelInterface();
        float[] latents = latentsForSize.apply(modelInterface.latentSize());
        float[] values = batcher.runGenerator(model, latents, count);
        return new Samples(model.version(), modelInterface, count, values);
    }
}
