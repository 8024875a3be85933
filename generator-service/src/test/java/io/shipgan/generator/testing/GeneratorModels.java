package io.shipgan.generator.testing;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

/**
 * Builds generator-shaped ONNX models for tests and benchmarks: good ones with random weights, unconditional or
 * conditional (a {@code label} input), small or of the trainer's default size, and ones broken in the ways a bad
 * checkpoint could be (wrong shapes, NaN output, values outside [-1, 1], other tensor names, a label input of the
 * wrong kind).
 */
public final class GeneratorModels {

    public static final int LATENT_SIZE = 100;
    public static final String LABEL_INPUT = "label";

    /** What one step of the label index adds to every value before the tanh of a conditional model. */
    private static final float LABEL_SHIFT = 0.5f;

    private static final int OPSET = 17;
    private static final long IR_VERSION = 8;

    /** Side of the first feature map: 5 doubled four times by the k4 s2 transposed convolutions is 80. */
    private static final int SEED_SIZE = 5;

    /** The layer stacks this builder knows. */
    private enum Shape { DCGAN, DENSE, TRAINER }

    private final long weightSeed;
    private String inputName = "latent";
    private String outputName = "image";
    private long batchDim = -1;
    private Shape shape = Shape.DCGAN;
    private int[] sampleShape = {3, 80, 80};
    private boolean tanh = true;
    private float weightScale = 1f;
    private boolean nanOutput;
    private Float nanAbove;
    private boolean labelInput;
    private TensorProto.DataType labelType = TensorProto.DataType.INT64;
    private long[] labelDims = {};
    private Float nanLabelAbove;

    private GeneratorModels(long weightSeed) {
        this.weightSeed = weightSeed;
    }

    /**
     * A DCGAN-shaped generator (Gemm to 128×5×5, four ConvTranspose k4 s2 to 3×80×80, ReLU between, tanh at the
     * end), about 0.5 M parameters like the trainer's: a valid checkpoint unless a variant says otherwise.
     */
    public static GeneratorModels dcgan(long weightSeed) {
        return new GeneratorModels(weightSeed);
    }

    /** A one-layer generator: Gemm to the sample shape, tanh, reshape. Quick to build, any sample shape. */
    public static GeneratorModels dense(long weightSeed) {
        GeneratorModels model = new GeneratorModels(weightSeed);
        model.shape = Shape.DENSE;
        return model;
    }

    /**
     * The trainer's default generator (generator filters 64), laid out as its exporter writes it: Gemm without bias
     * to 256×5×5, batch normalisation and ReLU, three ConvTranspose k4 s2 without bias to 128, 64 and 32 channels,
     * each followed by batch normalisation and ReLU, a last ConvTranspose with bias to 3 channels, tanh. About
     * 1.34 M parameters, a 5.4 MB checkpoint: the size that serving benchmarks should run. Made
     * {@link #conditional()}, the label enters as a one-hot vector next to the latent, so the Gemm takes
     * 100 + {@link TestCheckpoints#SHIP_LABELS} inputs and the label index must be below their number.
     */
    public static GeneratorModels trainerSized(long weightSeed) {
        GeneratorModels model = new GeneratorModels(weightSeed);
        model.shape = Shape.TRAINER;
        return model;
    }

    /** Output samples of this shape instead of [3, 80, 80]; only for {@link #dense}. */
    public GeneratorModels sampleShape(int channels, int height, int width) {
        this.sampleShape = new int[] {channels, height, width};
        return this;
    }

    /** Leaves out the final tanh, so values are no longer bounded. */
    public GeneratorModels withoutTanh() {
        this.tanh = false;
        return this;
    }

    /** Multiplies all weights. */
    public GeneratorModels weightScale(float scale) {
        this.weightScale = scale;
        return this;
    }

    /** Adds log(-1) to every output value, so every value is NaN. */
    public GeneratorModels nanOutput() {
        this.nanOutput = true;
        return this;
    }

    /**
     * Makes every value of a sample NaN when its latent's first value is above {@code threshold}, and leaves the
     * other samples alone: a model that passes a probe but breaks on part of the latent space.
     */
    public GeneratorModels nanWhenFirstLatentAbove(float threshold) {
        this.nanAbove = threshold;
        return this;
    }

    /**
     * Makes it conditional: a second input {@code label}, int64 [N], whose value times 0.5 is added to every value
     * before the final tanh, so each label draws visibly other images from the same latent ({@link #trainerSized}:
     * a one-hot label next to the latent instead). The metadata has to name the labels
     * ({@link TestCheckpoints#conditionalMetadata}).
     */
    public GeneratorModels conditional() {
        this.labelInput = true;
        return this;
    }

    /**
     * Declares the label input with this element type and these dimensions after the batch one (none: [N]); the
     * graph still runs, it only breaks the contract. Makes the model conditional.
     */
    public GeneratorModels labelInputAs(TensorProto.DataType type, long... dimsAfterBatch) {
        this.labelInput = true;
        this.labelType = type;
        this.labelDims = dimsAfterBatch;
        return this;
    }

    /** Makes every value of a sample NaN when its label index is above {@code threshold}. Makes it conditional. */
    public GeneratorModels nanWhenLabelAbove(float threshold) {
        this.labelInput = true;
        this.nanLabelAbove = threshold;
        return this;
    }

    /** Fixes the batch dimension of input and output instead of leaving it symbolic. */
    public GeneratorModels fixedBatch(int batch) {
        this.batchDim = batch;
        return this;
    }

    public GeneratorModels inputName(String name) {
        this.inputName = name;
        return this;
    }

    public GeneratorModels outputName(String name) {
        this.outputName = name;
        return this;
    }

    /** The serialized ONNX model. */
    public byte[] build() {
        Random random = new Random(weightSeed);
        GraphProto.Builder graph = GraphProto.newBuilder().setName("test-generator");
        graph.addInput(valueInfo(inputName, TensorProto.DataType.FLOAT, batchDim, LATENT_SIZE));
        if (labelInput) {
            graph.addInput(valueInfo(LABEL_INPUT, labelType, batchDim, labelDims));
        }

        String last = switch (shape) {
            case DENSE -> addDenseLayers(graph, random);
            case DCGAN -> addDcganLayers(graph, random);
            case TRAINER -> addTrainerLayers(graph, random);
        };
        if (labelInput && shape != Shape.TRAINER) {
            last = addLabelShift(graph, last);
        }

        if (tanh) {
            last = addNode(graph, "Tanh", List.of(last), "tanh_out");
        }
        if (nanOutput) {
            graph.addInitializer(floats("minus_one", new long[] {1}, new float[] {-1f}));
            String nan = addNode(graph, "Log", List.of("minus_one"), "nan");
            last = addNode(graph, "Add", List.of(last, nan), "nan_out");
        }
        if (nanAbove != null) {
            last = addLatentNanGate(graph, last);
        }
        if (nanLabelAbove != null) {
            last = addLabelNanGate(graph, last);
        }
        graph.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(last).addOutput(outputName));
        graph.addOutput(valueInfo(outputName, TensorProto.DataType.FLOAT, batchDim, sampleShape[0], sampleShape[1],
                sampleShape[2]));

        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("shipgan-generator-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private String addDenseLayers(GraphProto.Builder graph, Random random) {
        int outputs = sampleShape[0] * sampleShape[1] * sampleShape[2];
        graph.addInitializer(gaussian("w", random, 1.0 / Math.sqrt(LATENT_SIZE), LATENT_SIZE, outputs));
        graph.addInitializer(gaussian("b", random, 0.1, outputs));
        String gemm = addNode(graph, "Gemm", List.of(inputName, "w", "b"), "dense");
        graph.addInitializer(longs("sample_shape", -1, sampleShape[0], sampleShape[1], sampleShape[2]));
        return addNode(graph, "Reshape", List.of(gemm, "sample_shape"), "reshaped");
    }

    private String addDcganLayers(GraphProto.Builder graph, Random random) {
        int[] channels = {128, 64, 32, 16, 3};
        int projected = channels[0] * SEED_SIZE * SEED_SIZE;
        graph.addInitializer(gaussian("w0", random, Math.sqrt(2.0 / LATENT_SIZE), LATENT_SIZE, projected));
        graph.addInitializer(gaussian("b0", random, 0.05, projected));
        String x = addNode(graph, "Gemm", List.of(inputName, "w0", "b0"), "dense");
        x = addNode(graph, "Relu", List.of(x), "dense_relu");
        graph.addInitializer(longs("start_shape", -1, channels[0], SEED_SIZE, SEED_SIZE));
        x = addNode(graph, "Reshape", List.of(x, "start_shape"), "start");

        for (int layer = 1; layer < channels.length; layer++) {
            x = addConvTranspose(graph, random, x, layer, channels[layer - 1], channels[layer], true);
            if (layer < channels.length - 1) {
                x = addNode(graph, "Relu", List.of(x), "relu" + layer);
            }
        }
        return x;
    }

    /** The trainer's stack: no biases before batch normalisation, whose shift makes them redundant. */
    private String addTrainerLayers(GraphProto.Builder graph, Random random) {
        int[] channels = {256, 128, 64, 32, 3};
        int projected = channels[0] * SEED_SIZE * SEED_SIZE;
        String input = inputName;
        int inputs = LATENT_SIZE;
        if (labelInput) {
            input = addOneHotLabelNextToLatent(graph);
            inputs += TestCheckpoints.SHIP_LABELS.size();
        }
        graph.addInitializer(gaussian("w0", random, Math.sqrt(2.0 / inputs), inputs, projected));
        String x = addNode(graph, "Gemm", List.of(input, "w0"), "dense");
        graph.addInitializer(longs("start_shape", -1, channels[0], SEED_SIZE, SEED_SIZE));
        x = addNode(graph, "Reshape", List.of(x, "start_shape"), "start");
        x = addBatchNormalizationAndRelu(graph, random, x, 0, channels[0]);

        for (int layer = 1; layer < channels.length; layer++) {
            boolean last = layer == channels.length - 1;
            x = addConvTranspose(graph, random, x, layer, channels[layer - 1], channels[layer], last);
            if (!last) {
                x = addBatchNormalizationAndRelu(graph, random, x, layer, channels[layer]);
            }
        }
        return x;
    }

    /** A k4 s2 p1 transposed convolution: doubles the feature map's side. */
    private String addConvTranspose(GraphProto.Builder graph, Random random, String x, int layer, int in, int out,
                                    boolean withBias) {
        String weight = "w" + layer;
        // It feeds each output pixel from 2×2 taps of every input channel.
        graph.addInitializer(gaussian(weight, random, Math.sqrt(2.0 / (in * 4)), in, out, 4, 4));
        NodeProto.Builder deconv = NodeProto.newBuilder()
                .setOpType("ConvTranspose")
                .addInput(x).addInput(weight)
                .addOutput("deconv" + layer)
                .addAttribute(ints("kernel_shape", 4, 4))
                .addAttribute(ints("strides", 2, 2))
                .addAttribute(ints("pads", 1, 1, 1, 1));
        if (withBias) {
            String bias = "b" + layer;
            graph.addInitializer(gaussian(bias, random, 0.05, out));
            deconv.addInput(bias);
        }
        graph.addNode(deconv);
        return "deconv" + layer;
    }

    /** Inference-time batch normalisation with scales near 1 and running statistics of a unit Gaussian, then ReLU. */
    private String addBatchNormalizationAndRelu(GraphProto.Builder graph, Random random, String x, int layer,
                                                int channels) {
        String prefix = "bn" + layer;
        float[] scale = new float[channels];
        float[] unit = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (1 + 0.02 * random.nextGaussian());
            unit[c] = 1f;
        }
        long[] dims = {channels};
        graph.addInitializer(floats(prefix + "_scale", dims, scale));
        graph.addInitializer(floats(prefix + "_bias", dims, new float[channels]));
        graph.addInitializer(floats(prefix + "_mean", dims, new float[channels]));
        graph.addInitializer(floats(prefix + "_var", dims, unit));
        NodeProto.Builder normalization = NodeProto.newBuilder()
                .setOpType("BatchNormalization")
                .addInput(x).addInput(prefix + "_scale").addInput(prefix + "_bias")
                .addInput(prefix + "_mean").addInput(prefix + "_var")
                .addOutput(prefix + "_out")
                .addAttribute(AttributeProto.newBuilder().setName("epsilon")
                        .setType(AttributeProto.AttributeType.FLOAT).setF(1e-5f));
        graph.addNode(normalization);
        return addNode(graph, "Relu", List.of(prefix + "_out"), "relu" + layer);
    }

    /** [latent, one-hot(label)], [N, 100 + labels]: a row of the identity matrix picked by each label index. */
    private String addOneHotLabelNextToLatent(GraphProto.Builder graph) {
        int labels = TestCheckpoints.SHIP_LABELS.size();
        float[] identity = new float[labels * labels];
        for (int i = 0; i < labels; i++) {
            identity[i * labels + i] = 1f;
        }
        graph.addInitializer(floats("label_identity", new long[] {labels, labels}, identity));
        String oneHot = addNode(graph, "Gather", List.of("label_identity", LABEL_INPUT), "label_one_hot");
        graph.addNode(NodeProto.newBuilder().setOpType("Concat")
                .addInput(inputName).addInput(oneHot).addOutput("latent_and_label")
                .addAttribute(AttributeProto.newBuilder().setName("axis")
                        .setType(AttributeProto.AttributeType.INT).setI(1)));
        return "latent_and_label";
    }

    /** image + sqrt(min(threshold - z0, 0)): adds 0 where z0 ≤ threshold, NaN where it is above. */
    private String addLatentNanGate(GraphProto.Builder graph, String image) {
        graph.addInitializer(longs("z0_start", 0));
        graph.addInitializer(longs("z0_end", 1));
        graph.addInitializer(longs("z0_axis", 1));
        graph.addInitializer(floats("nan_threshold", new long[] {1}, new float[] {nanAbove}));
        graph.addInitializer(floats("zero", new long[] {1}, new float[] {0f}));
        graph.addInitializer(longs("gate_shape", -1, 1, 1, 1));
        String z0 = addNode(graph, "Slice", List.of(inputName, "z0_start", "z0_end", "z0_axis"), "z0");
        String headroom = addNode(graph, "Sub", List.of("nan_threshold", z0), "headroom");
        String overshoot = addNode(graph, "Min", List.of(headroom, "zero"), "overshoot");
        String gate = addNode(graph, "Sqrt", List.of(overshoot), "nan_gate");
        String perSample = addNode(graph, "Reshape", List.of(gate, "gate_shape"), "nan_gate_4d");
        return addNode(graph, "Add", List.of(image, perSample), "gated_image");
    }

    /** The label as a float per sample, shaped [N, 1, 1, 1] so that it broadcasts over the image. */
    private String labelPerSample(GraphProto.Builder graph) {
        NodeProto.Builder cast = NodeProto.newBuilder().setOpType("Cast").addInput(LABEL_INPUT).addOutput("label_f")
                .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                        .setI(TensorProto.DataType.FLOAT.getNumber()));
        graph.addNode(cast);
        graph.addInitializer(longs("label_shape", -1, 1, 1, 1));
        return addNode(graph, "Reshape", List.of("label_f", "label_shape"), "label_4d");
    }

    /** x + 0.5 · label: the label moves every value of its sample, before the tanh keeps them in [-1, 1]. */
    private String addLabelShift(GraphProto.Builder graph, String x) {
        String label = labelPerSample(graph);
        graph.addInitializer(floats("label_shift", new long[] {1}, new float[] {LABEL_SHIFT}));
        String shift = addNode(graph, "Mul", List.of(label, "label_shift"), "label_offset");
        return addNode(graph, "Add", List.of(x, shift), "labelled");
    }

    /** image + sqrt(min(threshold - label, 0)): adds 0 where label ≤ threshold, NaN where it is above. */
    private String addLabelNanGate(GraphProto.Builder graph, String image) {
        graph.addInitializer(floats("label_nan_threshold", new long[] {1}, new float[] {nanLabelAbove}));
        graph.addInitializer(floats("label_zero", new long[] {1}, new float[] {0f}));
        // The trainer-sized stack takes its label one-hot, so it has no per-sample label of its own yet.
        String label = shape == Shape.TRAINER ? labelPerSample(graph) : "label_4d";
        String headroom = addNode(graph, "Sub", List.of("label_nan_threshold", label), "label_headroom");
        String overshoot = addNode(graph, "Min", List.of(headroom, "label_zero"), "label_overshoot");
        String gate = addNode(graph, "Sqrt", List.of(overshoot), "label_nan_gate");
        return addNode(graph, "Add", List.of(image, gate), "label_gated_image");
    }

    private static String addNode(GraphProto.Builder graph, String op, List<String> inputs, String output) {
        graph.addNode(NodeProto.newBuilder().setOpType(op).addAllInput(inputs).addOutput(output));
        return output;
    }

    private TensorProto gaussian(String name, Random random, double std, long... dims) {
        int count = 1;
        for (long d : dims) {
            count *= (int) d;
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * std * weightScale);
        }
        return floats(name, dims, values);
    }

    private static TensorProto floats(String name, long[] dims, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : dims) {
            tensor.addDims(d);
        }
        return tensor.build();
    }

    private static TensorProto longs(String name, long... values) {
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.INT64.getNumber())
                .addDims(values.length);
        for (long v : values) {
            tensor.addInt64Data(v);
        }
        return tensor.build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            attribute.addInts(v);
        }
        return attribute.build();
    }

    /** A tensor type; a negative first dimension becomes the symbolic batch dimension N. */
    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, long batch, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        shape.addDim(batch < 0
                ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                : TensorShapeProto.Dimension.newBuilder().setDimValue(batch));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber())
                        .setShape(shape)))
                .build();
    }
}
