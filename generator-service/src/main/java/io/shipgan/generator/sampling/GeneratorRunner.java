package io.shipgan.generator.sampling;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Runs a loaded generator on latents (and labels, for a conditional model) in ONNX Runtime: the one place that
 * touches sessions and tensors.
 */
@ApplicationScoped
public class GeneratorRunner {

    private final SessionFactory sessions;

    public GeneratorRunner(SessionFactory sessions) {
        this.sessions = sessions;
    }

    /**
     * Runs the generator on {@code count} latents and, for a conditional model, their labels. All of them go into
     * one run, unless the graph is fixed to a batch size: then they go in runs of that size, the last one padded
     * with zero latents (and label 0).
     *
     * @param labels one label index per sample for a conditional model; null for an unconditional one
     * @return {@code count * valuesPerSample} floats, sample after sample
     * @throws SamplingException when the run fails or its output does not have the promised shape
     */
    public float[] runGenerator(LoadedModel model, float[] latents, long[] labels, int count) {
        ModelInterface modelInterface = model.modelInterface();
        requireLabelRows(model, labels, count);
        int batch = modelInterface.fixedBatch() > 0 ? modelInterface.fixedBatch() : count;
        int latentSize = modelInterface.latentSize();
        int perSample = modelInterface.valuesPerSample();
        if (batch == count) {
            return runBatch(model, latents, labels, batch);
        }
        float[] images = new float[count * perSample];
        for (int first = 0; first < count; first += batch) {
            int filled = Math.min(batch, count - first);
            // Past the last sample, copyOfRange pads with zeros: the padding samples are computed and dropped.
            float[] batchLatents = Arrays.copyOfRange(latents, first * latentSize, (first + batch) * latentSize);
            long[] batchLabels = labels == null ? null : Arrays.copyOfRange(labels, first, first + batch);
            float[] output = runBatch(model, batchLatents, batchLabels, batch);
            System.arraycopy(output, 0, images, first * perSample, filled * perSample);
        }
        return images;
    }

    private static void requireLabelRows(LoadedModel model, long[] labels, int count) {
        boolean conditional = model.modelInterface().conditional();
        if (conditional && (labels == null || labels.length != count)) {
            throw new IllegalArgumentException("model " + model.version() + " is conditional: it needs one label per "
                    + "sample, " + count + ", got " + (labels == null ? "none" : labels.length));
        }
        if (!conditional && labels != null) {
            throw new IllegalArgumentException("model " + model.version() + " is unconditional: it takes no labels");
        }
    }

    private float[] runBatch(LoadedModel model, float[] latents, long[] labels, int batch) {
        ModelInterface modelInterface = model.modelInterface();
        long[] inputShape = {batch, modelInterface.latentSize()};
        try (OnnxTensor input = OnnxTensor.createTensor(sessions.environment(), FloatBuffer.wrap(latents), inputShape);
             OnnxTensor labelInput = labels == null ? null
                     : OnnxTensor.createTensor(sessions.environment(), LongBuffer.wrap(labels), new long[] {batch});
             OrtSession.Result result = model.session().run(inputs(modelInterface, input, labelInput))) {
            OnnxValue value = result.get(modelInterface.outputName())
                    .orElseThrow(() -> new SamplingException("model " + model.version() + " gave no output "
                            + modelInterface.outputName()));
            if (!(value instanceof OnnxTensor tensor)) {
                throw new SamplingException("output " + modelInterface.outputName() + " of model "
                        + model.version() + " is not a tensor");
            }
            long[] expected = expectedOutputShape(modelInterface, batch);
            long[] actual = tensor.getInfo().getShape();
            if (!Arrays.equals(expected, actual)) {
                throw new SamplingException("model " + model.version() + " gave " + modelInterface.outputName()
                        + " of shape " + Arrays.toString(actual) + ", expected " + Arrays.toString(expected));
            }
            FloatBuffer buffer = tensor.getFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return values;
        } catch (OrtException e) {
            throw new SamplingException("ONNX Runtime failed to run model " + model.version() + ": "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, OnnxTensor> inputs(ModelInterface modelInterface, OnnxTensor latents,
                                                  OnnxTensor labels) {
        return labels == null
                ? Map.of(modelInterface.inputName(), latents)
                : Map.of(modelInterface.inputName(), latents, modelInterface.labelInputName(), labels);
    }

    private static long[] expectedOutputShape(ModelInterface modelInterface, int batch) {
        long[] shape = new long[modelInterface.sampleShape().size() + 1];
        shape[0] = batch;
        for (int d = 0; d < modelInterface.sampleShape().size(); d++) {
            shape[d + 1] = modelInterface.sampleShape().get(d);
        }
        return shape;
    }
}
