package io.shipgan.generator.checkpoint;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.InvalidCheckpointException;
import io.shipgan.generator.sampling.GeneratorRunner;
import io.shipgan.generator.sampling.Latents;
import io.shipgan.generator.sampling.LoadedModel;
import io.shipgan.generator.sampling.LoadedSession;
import io.shipgan.generator.sampling.ModelInterface;
import io.shipgan.generator.sampling.OutputCheck;
import io.shipgan.generator.sampling.SamplingException;
import io.shipgan.generator.sampling.SessionFactory;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a candidate's ONNX bytes may serve: they must be the bytes the metadata describes, load in
 * ONNX Runtime, have the generator interface (a conditional model, one whose metadata names labels, also the label
 * input), and produce finite images in [-1, 1] on a probe run that draws every label.
 */
@ApplicationScoped
public class CheckpointValidator {

    /** One sample's shape fixed by the generator interface: RGB, 80 × 80. */
    public static final List<Integer> SAMPLE_SHAPE = List.of(3, 80, 80);

    /**
     * Fewest samples in the probe run: a full serving batch, so that a graph that mixes up the batch dimension shows
     * it, and so that a model that breaks on a sizeable part of the latent space (NaN wherever the first latent
     * value is above 0.6, a quarter of all requests, passed a probe of two samples) meets that part. A region
     * smaller than about a sixtieth of the latent space may still be missed: that is the canary's job. A
     * conditional model with more labels gets one sample per label.
     */
    public static final int PROBE_SAMPLES = 64;

    /** Seed of the probe run's latents, fixed so that every replica probes a candidate alike. */
    public static final long PROBE_SEED = 0x5EED_C0DEL;

    private static final int DIGEST_PREFIX = 12;

    private final SessionFactory sessions;
    private final GeneratorRunner runner;

    public CheckpointValidator(SessionFactory sessions, GeneratorRunner runner) {
        this.sessions = sessions;
        this.runner = runner;
    }

    /**
     * Checks the candidate and, when it passes, returns it loaded, holding one reference the caller owns.
     *
     * @throws InvalidCheckpointException with the reason when it must not serve
     */
    public LoadedModel validateCandidate(CheckpointMetadata metadata, byte[] onnx) {
        verifyDeclaredInterface(metadata);
        verifyDigest(metadata, onnx);
        LoadedSession loaded = loadCandidate(onnx);
        LoadedModel model;
        try {
            model = new LoadedModel(metadata, loaded, readInterface(loaded.session(), metadata));
        } catch (RuntimeException e) {
            closeQuietly(loaded.session());
            throw e;
        }
        try {
            probeCandidate(model);
        } catch (RuntimeException e) {
            model.release();
            throw e;
        }
        return model;
    }

    private static void verifyDeclaredInterface(CheckpointMetadata metadata) {
        if (metadata.latentSize() < 1) {
            throw new InvalidCheckpointException("metadata latent size " + metadata.latentSize()
                    + " is not positive");
        }
        if (!SAMPLE_SHAPE.equals(metadata.outputShape())) {
            throw new InvalidCheckpointException("metadata output shape " + metadata.outputShape()
                    + " is not the generator interface's " + SAMPLE_SHAPE);
        }
        verifyDeclaredLabels(metadata.labels());
        requireInterfaceName("input", metadata.inputName(), CheckpointRecord.LATENT_INPUT);
        requireInterfaceName("output", metadata.outputName(), CheckpointRecord.IMAGE_OUTPUT);
    }

    /** Labels are request parameter values: each must be a word of its own, named once. */
    private static void verifyDeclaredLabels(List<String> labels) {
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            if (label == null || label.isBlank() || !label.strip().equals(label)) {
                throw new InvalidCheckpointException("metadata labels " + labels + " include a blank label or one "
                        + "with surrounding spaces");
            }
            if (!seen.add(label)) {
                throw new InvalidCheckpointException("metadata labels " + labels + " name '" + label + "' twice");
            }
        }
    }

    private static void requireInterfaceName(String kind, String declared, String expected) {
        if (declared != null && !declared.equals(expected)) {
            throw new InvalidCheckpointException("metadata names the " + kind + " '" + declared
                    + "', the generator interface fixes it to '" + expected + "'");
        }
    }

    /** @throws InvalidCheckpointException when the bytes are not those the metadata's size and SHA-256 describe */
    static void verifyDigest(CheckpointMetadata metadata, byte[] onnx) {
        if (onnx == null || onnx.length == 0) {
            throw new InvalidCheckpointException("record has no ONNX bytes");
        }
        if (metadata.sizeBytes() != onnx.length) {
            throw new InvalidCheckpointException("size mismatch (metadata says " + metadata.sizeBytes()
                    + " bytes, record holds " + onnx.length + ")");
        }
        String actual = CheckpointRecord.sha256Hex(onnx);
        if (metadata.sha256() == null || !actual.equalsIgnoreCase(metadata.sha256())) {
            throw new InvalidCheckpointException("SHA-256 mismatch (expected " + abbreviate(metadata.sha256())
                    + ", got " + abbreviate(actual) + ")");
        }
    }

    private static String abbreviate(String digest) {
        if (digest == null) {
            return "none";
        }
        return digest.length() <= DIGEST_PREFIX ? digest : digest.substring(0, DIGEST_PREFIX) + "…";
    }

    private LoadedSession loadCandidate(byte[] onnx) {
        try {
            return sessions.loadSession(onnx);
        } catch (OrtException e) {
            throw new InvalidCheckpointException("ONNX Runtime cannot load it: " + firstLine(e.getMessage()));
        }
    }

    private static ModelInterface readInterface(OrtSession session, CheckpointMetadata metadata) {
        try {
            return readInterface(session.getInputInfo(), session.getOutputInfo(), metadata);
        } catch (OrtException e) {
            throw new InvalidCheckpointException("ONNX Runtime cannot describe its inputs and outputs: "
                    + firstLine(e.getMessage()));
        }
    }

    private static ModelInterface readInterface(Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs,
                                                CheckpointMetadata metadata) {
        String inputName = CheckpointRecord.LATENT_INPUT;
        String outputName = CheckpointRecord.IMAGE_OUTPUT;
        boolean conditional = !metadata.labels().isEmpty();
        String labelName = conditional ? CheckpointRecord.LABEL_INPUT : null;
        verifyInputNames(inputs.keySet(), metadata.labels());
        if (!outputs.containsKey(outputName)) {
            throw new InvalidCheckpointException("graph has no output '" + outputName + "' (outputs "
                    + outputs.keySet() + ")");
        }

        long[] latentShape = floatTensorShape(inputs.get(inputName), inputName);
        if (latentShape.length != 2 || latentShape[0] == 0
                || (latentShape[1] != -1 && latentShape[1] != metadata.latentSize())) {
            throw new InvalidCheckpointException("input '" + inputName + "' has shape " + Arrays.toString(latentShape)
                    + ", expected [-1 or N, " + metadata.latentSize() + "]");
        }
        if (conditional) {
            verifyLabelInput(inputs.get(labelName), latentShape[0]);
        }

        long[] imageShape = floatTensorShape(outputs.get(outputName), outputName);
        if (!matchesSampleShape(imageShape)) {
            throw new InvalidCheckpointException("output '" + outputName + "' has shape "
                    + Arrays.toString(imageShape) + ", expected [N, " + join(SAMPLE_SHAPE) + "]");
        }
        int fixedBatch = latentShape[0] > 0 ? (int) latentShape[0] : 0;
        return new ModelInterface(inputName, labelName, outputName, metadata.latentSize(), fixedBatch, SAMPLE_SHAPE,
                metadata.labels());
    }

    /** An unconditional model takes only {@code latent}; a conditional one {@code latent} and {@code label}. */
    private static void verifyInputNames(Set<String> inputs, List<String> labels) {
        String latent = CheckpointRecord.LATENT_INPUT;
        String label = CheckpointRecord.LABEL_INPUT;
        if (labels.isEmpty() && inputs.equals(Set.of(latent, label))) {
            throw new InvalidCheckpointException("graph has a '" + label + "' input but the metadata names no "
                    + "labels; an unconditional model takes only '" + latent + "'");
        }
        if (!labels.isEmpty() && inputs.equals(Set.of(latent))) {
            throw new InvalidCheckpointException("metadata names labels " + labels + " but the graph has no '"
                    + label + "' input (inputs " + inputs + ")");
        }
        List<String> expected = labels.isEmpty() ? List.of(latent) : List.of(latent, label);
        if (!inputs.equals(Set.copyOf(expected))) {
            throw new InvalidCheckpointException("graph inputs " + inputs + " are not "
                    + expected.stream().map(name -> "'" + name + "'").toList());
        }
    }

    /** The label input: int64 {@code [N]}, with the same batch dimension as the latent input. */
    private static void verifyLabelInput(NodeInfo node, long latentBatch) {
        String name = CheckpointRecord.LABEL_INPUT;
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.INT64) {
            throw new InvalidCheckpointException("input '" + name + "' is not an int64 tensor (" + node.getInfo()
                    + "); it takes one label index per sample");
        }
        long[] shape = tensor.getShape();
        if (shape.length != 1 || shape[0] != latentBatch) {
            throw new InvalidCheckpointException("input '" + name + "' has shape " + Arrays.toString(shape)
                    + ", expected [" + (latentBatch > 0 ? latentBatch : "N") + "]: one label index per sample, "
                    + "batched like '" + CheckpointRecord.LATENT_INPUT + "'");
        }
    }

    private static long[] floatTensorShape(NodeInfo node, String name) {
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
            throw new InvalidCheckpointException("'" + name + "' is not a float32 tensor (" + node.getInfo() + ")");
        }
        return tensor.getShape();
    }

    /** Dimensions the graph leaves symbolic (-1) are checked on the probe run's actual output instead. */
    private static boolean matchesSampleShape(long[] shape) {
        if (shape.length != SAMPLE_SHAPE.size() + 1) {
            return false;
        }
        for (int d = 0; d < SAMPLE_SHAPE.size(); d++) {
            if (shape[d + 1] != -1 && shape[d + 1] != SAMPLE_SHAPE.get(d)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the candidate once on fixed latents, sample i of a conditional model drawing label i modulo the label
     * count, so that every label is drawn: ONNX Runtime must run it and every value be finite in [-1, 1].
     */
    private void probeCandidate(LoadedModel model) {
        ModelInterface modelInterface = model.modelInterface();
        List<String> labels = modelInterface.labels();
        int samples = Math.max(PROBE_SAMPLES, labels.size());
        float[] latents = Latents.forRequest(PROBE_SEED, samples, modelInterface.latentSize());
        long[] labelRows = modelInterface.conditional() ? new long[samples] : null;
        for (int i = 0; labelRows != null && i < samples; i++) {
            labelRows[i] = i % labels.size();
        }
        float[] images;
        try {
            images = runner.runGenerator(model, latents, labelRows, samples);
        } catch (SamplingException e) {
            throw new InvalidCheckpointException("probe run failed: " + firstLine(e.getMessage()));
        }
        String violation = OutputCheck.findViolation(images);
        if (violation != null) {
            throw new InvalidCheckpointException("probe run " + violation + labelOfViolation(modelInterface, images));
        }
    }

    /** For a conditional model, which label the first bad value was drawn for, e.g. {@code " (label 'ship')"}. */
    private static String labelOfViolation(ModelInterface modelInterface, float[] images) {
        if (!modelInterface.conditional()) {
            return "";
        }
        int firstBad = OutputCheck.firstViolationIndex(images);
        int sample = firstBad / modelInterface.valuesPerSample();
        String label = modelInterface.labels().get(sample % modelInterface.labels().size());
        return " (sample " + sample + ", label '" + label + "')";
    }

    private static String join(List<Integer> dims) {
        return String.join(", ", dims.stream().map(String::valueOf).toList());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // The candidate is being refused already; a failed close has nothing to add.
        }
    }
}
