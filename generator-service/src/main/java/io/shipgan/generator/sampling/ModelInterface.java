package io.shipgan.generator.sampling;

import java.util.Arrays;
import java.util.List;

/**
 * The tensors a generator takes and gives, as found in its ONNX graph and checked against its metadata.
 *
 * @param inputName      name of the latent input
 * @param labelInputName name of the label input of a conditional model (int64 [N], an index into
 *                       {@code labels}); null for an unconditional model
 * @param outputName     name of the image output
 * @param latentSize     floats per latent vector
 * @param fixedBatch     batch size the graph is fixed to, or 0 when any batch size is accepted
 * @param sampleShape    shape of one output sample, [channels, height, width]
 * @param labels         the labels a conditional model draws, in the order of their indices; empty when
 *                       unconditional
 */
public record ModelInterface(String inputName, String labelInputName, String outputName, int latentSize,
                             int fixedBatch, List<Integer> sampleShape, List<String> labels) {

    public ModelInterface {
        sampleShape = List.copyOf(sampleShape);
        labels = List.copyOf(labels);
        if (labels.isEmpty() != (labelInputName == null)) {
            throw new IllegalArgumentException("a label input goes with labels and only with labels: input "
                    + labelInputName + ", labels " + labels);
        }
    }

    /** An unconditional model's interface: only the latent input. */
    public ModelInterface(String inputName, String outputName, int latentSize, int fixedBatch,
                          List<Integer> sampleShape) {
        this(inputName, null, outputName, latentSize, fixedBatch, sampleShape, List.of());
    }

    /** Whether the model takes a label next to the latent. */
    public boolean conditional() {
        return labelInputName != null;
    }

    /** The label drawn when a request names none: the first one; null for an unconditional model. */
    public String defaultLabel() {
        return conditional() ? labels.get(0) : null;
    }

    /**
     * Whether a request for {@code label} can be drawn: any model draws a request without one (a conditional
     * model its default label), and a conditional model draws each of its labels.
     */
    public boolean draws(String label) {
        return label == null || labels.contains(label);
    }

    /**
     * The label input for {@code count} samples that all draw {@code label} (null: the default label): its
     * index, once per sample. Null for an unconditional model, which takes no label input.
     *
     * @throws IllegalArgumentException when the model does not draw {@code label}
     */
    public long[] labelRows(String label, int count) {
        if (!draws(label)) {
            throw new IllegalArgumentException("model does not draw label '" + label + "'; it draws " + labels);
        }
        if (!conditional()) {
            return null;
        }
        long[] rows = new long[count];
        Arrays.fill(rows, label == null ? 0 : labels.indexOf(label));
        return rows;
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
