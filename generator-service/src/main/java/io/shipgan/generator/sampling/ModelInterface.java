package io.shipgan.generator.sampling;

import java.util.List;

/**
 * The tensors a generator takes and gives, as found in its ONNX graph and checked against its metadata.
 *
 * @param inputName   name of the latent input
 * @param outputName  name of the image output
 * @param latentSize  floats per latent vector
 * @param fixedBatch  batch size the graph is fixed to, or 0 when any batch size is accepted
 * @param sampleShape shape of one output sample, [channels, height, width]
 */
public record ModelInterface(String inputName, String outputName, int latentSize, int fixedBatch,
                             List<Integer> sampleShape) {

    public ModelInterface {
        sampleShape = List.copyOf(sampleShape);
    }

    /** Floats in one output sample. */
    public int valuesPerSample() {
        return sampleShape.stream().reduce(1, (a, b) -> a * b);
    }

    public int channels() {
        return sampleShape.get(0);
    }

    public int height() {
        return sampleShape.get(1);
    }

    public int width() {
        return sampleShape.get(2);
    }
}
