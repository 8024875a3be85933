package io.shipgan.generator.sampling;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/** Runs a loaded generator on latents in ONNX Runtime: the one place that touches sessions and tensors. */
@ApplicationScoped
public class GeneratorRunner {

    private final SessionFactory sessions;

    public GeneratorRunner(SessionFactory sessions) {
        this.sessions = sessions;
    }

    /**
     * Runs the generator on {@code count} latents. All of them go into one run, unless the graph is fixed to a
     * batch size: then they go in runs of that size, the last one padded with zero latents.
     *
     * @return {@code count * valuesPerSample} floats, sample after sample
     * @throws SamplingException when the run fails or its output does not have the promised shape
     */
    public float[] runGenerator(LoadedModel model, float[] latents, int count) {
        ModelInterface modelInterface = model.modelInterface();
        int batch = modelInterface.fixedBatch() > 0 ? modelInterface.fixedBatch() : count;
        int latentSize = modelInterface.latentSize();
        int perSample = modelInterface.valuesPerSample();
        if (batch == count) {
            return runBatch(model, latents, batch);
        }
        float[] images = new float[count * perSample];
        for (int first = 0; first < count; first += batch) {
            int filled = Math.min(batch, count - first);
            // Past the last latent, copyOfRange pads with zeros: the padding samples are computed and dropped.
            float[] batchLatents = Arrays.copyOfRange(latents, first * latentSize, (first + batch) * latentSize);
            float[] output = runBatch(model, batchLatents, batch);
            System.arraycopy(output, 0, images, first * perSample, filled * perSample);
        }
        return images;
    }

    private float[] runBatch(LoadedModel model, float[] latents, int batch) {
        ModelInterface modelInterface = model.modelInterface();
        long[] inputShape = {batch, modelInterface.latentSize()};
        try (OnnxTensor input = OnnxTensor.createTensor(sessions.environment(), FloatBuffer.wrap(latents), inputShape);
             OrtSession.Result result = model.session().run(Map.of(modelInterface.inputName(), input))) {
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

    private static long[] expectedOutputShape(ModelInterface modelInterface, int batch) {
        long[] shape = new long[modelInterface.sampleShape().size() + 1];
        shape[0] = batch;
        for (int d = 0; d < modelInterface.sampleShape().size(); d++) {
            shape[d + 1] = modelInterface.sampleShape().get(d);
        }
        return shape;
    }
}
