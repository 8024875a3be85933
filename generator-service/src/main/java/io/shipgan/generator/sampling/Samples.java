package io.shipgan.generator.sampling;

/**
 * The generator's output for one request: {@code count} samples, each [channels, height, width] floats in
 * [-1, 1] (channel-major), one after another.
 *
 * @param version        version of the model that made them
 * @param modelInterface the model's tensor shapes
 * @param count          number of samples
 * @param values         {@code count * modelInterface.valuesPerSample()} floats
 */
public record Samples(long version, ModelInterface modelInterface, int count, float[] values) {
}
