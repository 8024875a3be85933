package io.shipgan.generator.sampling;

/**
 * The generator's output for one request: {@code count} samples, each [channels, height, width] floats in
 * [-1, 1] (channel-major), one after another.
 *
 * @param version        version of the model that made them
 * @param modelInterface the model's tensor shapes
 * @param count          number of samples
 * @param values         {@code count * modelInterface.valuesPerSample()} floats
 * @param label          the label every sample was drawn for; null when the model is unconditional
 */
public record Samples(long version, ModelInterface modelInterface, int count, float[] values, String label) {

    /** Samples of an unconditional model. */
    public Samples(long version, ModelInterface modelInterface, int count, float[] values) {
        this(version, modelInterface, count, values, null);
    }
}
