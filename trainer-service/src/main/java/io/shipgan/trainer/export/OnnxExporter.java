package io.shipgan.trainer.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.shipgan.checkpoint.CheckpointRecord;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes DL4J networks as ONNX models (DL4J has no ONNX export), in inference form: batch normalisation with its
 * running statistics. Layers map one to one: Dense and the output layer to Gemm, BatchNormalization to
 * BatchNormalization, ConvolutionLayer to Conv and Deconvolution2D to ConvTranspose (DL4J's weight layouts are
 * ONNX's), Upsampling2D to a nearest-neighbour Resize, the feed-forward/CNN
 * preprocessors to Reshape and Flatten, activations to Relu, LeakyRelu, Tanh, Sigmoid and Softmax.
 *
 * <p>The generator model takes {@code latent} float32 {@code [N, latentSize]} and, when conditional,
 * {@code label} int64 {@code [N]}, and returns {@code image} float32 {@code [N, 3, 80, 80]}. The label is turned
 * into the one-hot vector the network was trained with by a Gather from an identity matrix, then joined to the
 * latent.
 */
public final class OnnxExporter {

    /** The ONNX operator set the graph is written against. */
    public static final int OPSET = 17;

    /** Names of the classifier model's input and outputs. */
    public static final String CLASSIFIER_INPUT = "image";
    public static final String CLASSIFIER_PROBABILITIES = "probabilities";
    public static final String CLASSIFIER_FEATURES = "features";

    /** The IR version that goes with opset 17 (ONNX 1.12). */
    private static final long IR_VERSION = 8;

    private static final String BATCH_DIM = "N";

    private OnnxExporter() {
    }

    /**
     * The generator as ONNX model bytes.
     *
     * @param labels labels the generator is conditioned on (the one-hot part of its input); 0 for an
     *               unconditional generator
     * @throws IllegalArgumentException when the network holds a layer or setting this exporter does not map
     */
    public static byte[] exportGenerator(MultiLayerNetwork generator, int labels) {
        long inputSize = generator.layerInputSize(0);
        long latentSize = inputSize - labels;
        long[] imageShape = outputShape(generator, new long[] {1, inputSize});

        OnnxGraph graph = new OnnxGraph("shipgan_generator");
        List<ValueInfoProto> inputs = new ArrayList<>();
        inputs.add(OnnxGraph.floatValue(CheckpointRecord.LATENT_INPUT, BATCH_DIM, latentSize));
        String value = CheckpointRecord.LATENT_INPUT;
        if (labels > 0) {
            inputs.add(OnnxGraph.longValue(CheckpointRecord.LABEL_INPUT, BATCH_DIM));
            float[] identity = new float[labels * labels];
            for (int i = 0; i < labels; i++) {
                identity[i * labels + i] = 1f;
            }
            String oneHot = graph.add("label_onehot", "Gather",
                    List.of(graph.floatConstant("label_identity", identity, labels, labels),
                            CheckpointRecord.LABEL_INPUT),
                    List.of(OnnxGraph.intAttribute("axis", 0)));
            value = graph.add("latent_label", "Concat", List.of(value, oneHot),
                    List.of(OnnxGraph.intAttribute("axis", 1)));
        }
        exportLayers(graph, generator, value);

        String doc = "ShipGAN DCGAN generator: latent [N, " + latentSize + "]"
                + (labels > 0 ? " and label [N] (int64, 0.." + (labels - 1) + ")" : "")
                + " -> image [N, " + joined(imageShape) + "] in [-1, 1]";
        return model(graph, doc, inputs,
                List.of(OnnxGraph.floatValue(CheckpointRecord.IMAGE_OUTPUT, BATCH_DIM, imageShape)));
    }

    /**
     * A classifier as ONNX model bytes: input {@code image} float32 {@code [N, 3, 80, 80]}, outputs
     * {@code probabilities} (its last layer) and {@code features} (the output of layer {@code featureLayer}).
     */
    public static byte[] exportClassifier(MultiLayerNetwork classifier, int featureLayer, long... imageShape) {
        long[] input = new long[imageShape.length + 1];
        input[0] = 1;
        System.arraycopy(imageShape, 0, input, 1, imageShape.length);
        long[] probabilities = outputShape(classifier, input);
        long features = classifier.getLayer(featureLayer).getParam(DefaultParamInitializer.BIAS_KEY).length();

        OnnxGraph graph = new OnnxGraph("shipgan_classifier");
        List<String> layerOutputs = exportLayers(graph, classifier, CLASSIFIER_INPUT);
        graph.addWithOutput("features_identity", "Identity", List.of(layerOutputs.get(featureLayer)),
                CLASSIFIER_FEATURES);
        // Softmax last: the graph's first output takes the last node's output.
        graph.add("probabilities_softmax", "Softmax", List.of(layerOutputs.get(layerOutputs.size() - 1)),
                List.of(OnnxGraph.intAttribute("axis", -1)));
        return model(graph, "ShipGAN ship/no-ship classifier: image [N, " + joined(imageShape)
                        + "] in [-1, 1] -> probabilities [N, " + joined(probabilities) + "] (no-ship, ship), features [N, "
                        + features + "]",
                List.of(OnnxGraph.floatValue(CLASSIFIER_INPUT, BATCH_DIM, imageShape)),
                List.of(OnnxGraph.floatValue(CLASSIFIER_PROBABILITIES, BATCH_DIM, probabilities),
                        OnnxGraph.floatValue(CLASSIFIER_FEATURES, BATCH_DIM, features)));
    }

    private static byte[] model(OnnxGraph graph, String doc, List<ValueInfoProto> inputs,
                                List<ValueInfoProto> outputs) {
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("shipgan-trainer")
                .setDocString(doc)
                .setGraph(graph.build(inputs, outputs))
                .build()
                .toByteArray();
    }

    /** Appends every layer of the network to the graph. @return each layer's output value, in layer order */
    private static List<String> exportLayers(OnnxGraph graph, MultiLayerNetwork network, String input) {
        List<String> outputs = new ArrayList<>();
        String value = input;
        for (int i = 0; i < network.getnLayers(); i++) {
            InputPreProcessor preProcessor = network.getLayerWiseConfigurations().getInputPreProcess(i);
            if (preProcessor != null) {
                value = exportPreProcessor(graph, i, preProcessor, value);
            }
            value = exportLayer(graph, i, network.getLayer(i), value);
            outputs.add(value);
        }
        return outputs;
    }

    /** Shape of one sample of the network's output, from one inference pass on zeros. */
    private static long[] outputShape(MultiLayerNetwork network, long[] inputShape) {
        long[] shape = network.output(Nd4j.zeros(DataType.FLOAT, inputShape), false).shape();
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    private static String exportPreProcessor(OnnxGraph graph, int index, InputPreProcessor preProcessor,
                                             String input) {
        if (preProcessor instanceof FeedForwardToCnnPreProcessor toCnn) {
            String shape = graph.longConstant("layer" + index + "_reshape_shape",
                    -1, toCnn.getNumChannels(), toCnn.getInputHeight(), toCnn.getInputWidth());
            return graph.add("layer" + index + "_reshape", "Reshape", List.of(input, shape));
        }
        if (preProcessor instanceof CnnToFeedForwardPreProcessor toFeedForward) {
            if (toFeedForward.getFormat() != CNN2DFormat.NCHW) {
                throw new IllegalArgumentException("layer " + index + ": only NCHW flattens to ONNX");
            }
            // DL4J flattens NCHW in row-major order, as ONNX's Flatten does.
            return graph.add("layer" + index + "_flatten", "Flatten", List.of(input),
                    List.of(OnnxGraph.intAttribute("axis", 1)));
        }
        throw unsupported(index, preProcessor.getClass().getSimpleName());
    }

    private static String exportLayer(OnnxGraph graph, int index, Layer layer, String input) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        String prefix = "layer" + index;
        if (conf instanceof DenseLayer dense) {
            return exportActivation(graph, prefix, dense.getActivationFn(), exportDense(graph, prefix, layer, input));
        }
        if (conf instanceof OutputLayer output) {
            // The classifier's softmax is added by exportClassifier, after the features output.
            if (!(output.getActivationFn() instanceof ActivationSoftmax)) {
                return exportActivation(graph, prefix, output.getActivationFn(),
                        exportDense(graph, prefix, layer, input));
            }
            return exportDense(graph, prefix, layer, input);
        }
        if (conf instanceof Deconvolution2D deconvolution) {
            String output = exportConvolution(graph, prefix, layer, deconvolution, "ConvTranspose", input);
            return exportActivation(graph, prefix, deconvolution.getActivationFn(), output);
        }
        if (conf instanceof ConvolutionLayer convolution) {
            String output = exportConvolution(graph, prefix, layer, convolution, "Conv", input);
            return exportActivation(graph, prefix, convolution.getActivationFn(), output);
        }
        if (conf instanceof Upsampling2D upsampling) {
            int[] size = upsampling.getSize();
            // Nearest neighbour, asymmetric coordinates, floor: each output pixel copies input pixel (y/s, x/s),
            // which is DL4J's repetition.
            return graph.add(prefix + "_resize", "Resize",
                    List.of(input, "", graph.floatConstant(prefix + "_scales",
                            new float[] {1f, 1f, size[0], size[1]}, 4)),
                    List.of(OnnxGraph.stringAttribute("mode", "nearest"),
                            OnnxGraph.stringAttribute("coordinate_transformation_mode", "asymmetric"),
                            OnnxGraph.stringAttribute("nearest_mode", "floor")));
        }
        if (conf instanceof BatchNormalization batchNormalization) {
            // Its activation is never applied by DL4J (and defaults to sigmoid): not exported, on purpose.
            return exportBatchNormalization(graph, prefix, layer, batchNormalization, input);
        }
        if (conf instanceof ActivationLayer activation) {
            return exportActivation(graph, prefix, activation.getActivationFn(), input);
        }
        throw unsupported(index, conf.getClass().getSimpleName());
    }

    private static String exportDense(OnnxGraph graph, String prefix, Layer layer, String input) {
        INDArray weights = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
        List<String> inputs = new ArrayList<>(List.of(input,
                graph.floatConstant(prefix + "_W", values(weights), weights.shape())));
        INDArray bias = layer.getParam(DefaultParamInitializer.BIAS_KEY);
        if (bias != null) {
            inputs.add(graph.floatConstant(prefix + "_b", values(bias), bias.length()));
        }
        return graph.add(prefix + "_gemm", "Gemm", inputs);
    }

    private static String exportConvolution(OnnxGraph graph, String prefix, Layer layer, ConvolutionLayer conf,
                                            String operator, String input) {
        requireExplicitPadding(prefix, conf.getConvolutionMode(), conf.getCnn2dDataFormat());
        INDArray weights = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
        List<String> inputs = new ArrayList<>(List.of(input,
                graph.floatConstant(prefix + "_W", values(weights), weights.shape())));
        if (conf.hasBias()) {
            INDArray bias = layer.getParam(DefaultParamInitializer.BIAS_KEY);
            inputs.add(graph.floatConstant(prefix + "_b", values(bias), bias.length()));
        }
        int[] kernel = conf.getKernelSize();
        int[] stride = conf.getStride();
        int[] padding = conf.getPadding();
        int[] dilation = conf.getDilation();
        List<AttributeProto> attributes = List.of(
                OnnxGraph.ints("kernel_shape", kernel[0], kernel[1]),
                OnnxGraph.ints("strides", stride[0], stride[1]),
                OnnxGraph.ints("pads", padding[0], padding[1], padding[0], padding[1]),
                OnnxGraph.ints("dilations", dilation[0], dilation[1]));
        return graph.add(prefix + "_" + operator.toLowerCase(Locale.ROOT), operator, inputs, attributes);
    }

    /** Same mode puts DL4J's odd padding pixel at the end, which symmetric ONNX pads cannot express. */
    private static void requireExplicitPadding(String prefix, ConvolutionMode mode, CNN2DFormat format) {
        if (mode != ConvolutionMode.Truncate && mode != ConvolutionMode.Strict) {
            throw new IllegalArgumentException(prefix + ": only Truncate or Strict convolution mode exports, not "
                    + mode);
        }
        if (format != CNN2DFormat.NCHW) {
            throw new IllegalArgumentException(prefix + ": only NCHW exports, not " + format);
        }
    }

    /** Inference form: DL4J keeps log10 of the running standard deviation, ONNX wants the variance. */
    private static String exportBatchNormalization(OnnxGraph graph, String prefix, Layer layer,
                                                   BatchNormalization conf, String input) {
        if (conf.isLockGammaBeta()) {
            throw new IllegalArgumentException(prefix + ": batch normalisation with locked gamma/beta does not export");
        }
        float[] variance;
        if (conf.isUseLogStd()) {
            float[] log10Std = values(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
            variance = new float[log10Std.length];
            for (int c = 0; c < log10Std.length; c++) {
                float std = (float) Math.pow(10, log10Std[c]);
                variance[c] = std * std;
            }
        } else {
            variance = values(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR));
        }
        int channels = variance.length;
        List<String> inputs = List.of(input,
                graph.floatConstant(prefix + "_scale",
                        values(layer.getParam(BatchNormalizationParamInitializer.GAMMA)), channels),
                graph.floatConstant(prefix + "_bias",
                        values(layer.getParam(BatchNormalizationParamInitializer.BETA)), channels),
                graph.floatConstant(prefix + "_mean",
                        values(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN)), channels),
                graph.floatConstant(prefix + "_var", variance, channels));
        return graph.add(prefix + "_batchnorm", "BatchNormalization", inputs,
                List.of(OnnxGraph.floatAttribute("epsilon", (float) conf.getEps())));
    }

    private static String exportActivation(OnnxGraph graph, String prefix, IActivation activation, String input) {
        if (activation instanceof ActivationIdentity) {
            return input;
        }
        if (activation instanceof ActivationReLU relu) {
            if (relu.getMax() != null || relu.getThreshold() != null || relu.getNegativeSlope() != null) {
                throw new IllegalArgumentException(prefix + ": ReLU with max, threshold or slope does not export");
            }
            return graph.add(prefix + "_relu", "Relu", List.of(input));
        }
        if (activation instanceof ActivationLReLU leaky) {
            return graph.add(prefix + "_leakyrelu", "LeakyRelu", List.of(input),
                    List.of(OnnxGraph.floatAttribute("alpha", (float) leaky.getAlpha())));
        }
        if (activation instanceof ActivationTanH) {
            return graph.add(prefix + "_tanh", "Tanh", List.of(input));
        }
        if (activation instanceof ActivationSigmoid) {
            return graph.add(prefix + "_sigmoid", "Sigmoid", List.of(input));
        }
        throw new IllegalArgumentException(prefix + ": activation " + activation + " does not export");
    }

    /** The values of a parameter in row-major order, whatever order DL4J keeps its view in. */
    private static float[] values(INDArray parameter) {
        return parameter.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static IllegalArgumentException unsupported(int index, String what) {
        return new IllegalArgumentException("layer " + index + ": " + what + " has no ONNX mapping in the exporter");
    }

    private static String joined(long[] shape) {
        return String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList());
    }
}
