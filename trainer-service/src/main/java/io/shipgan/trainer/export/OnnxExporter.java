package io.shipgan.trainer.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import io.shipgan.checkpoint.CheckpointRecord;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a DL4J generator as an ONNX model (DL4J has no ONNX export), in inference form: batch normalisation with
 * its running statistics. The model takes {@code latent} float32 {@code [N, latentSize]} and returns
 * {@code image} float32 {@code [N, 3, 80, 80]}. Layers map one to one: Dense to Gemm, BatchNormalization to
 * BatchNormalization, Deconvolution2D to ConvTranspose (DL4J's {@code [nIn, nOut, kH, kW]} weights are ONNX's
 * layout), the feed-forward-to-CNN step to Reshape, activations to Relu, LeakyRelu, Tanh and Sigmoid.
 */
public final class OnnxExporter {

    /** The ONNX operator set the graph is written against. */
    public static final int OPSET = 17;

    /** The IR version that goes with opset 17 (ONNX 1.12). */
    private static final long IR_VERSION = 8;

    private static final String BATCH_DIM = "N";

    private OnnxExporter() {
    }

    /**
     * The generator as ONNX model bytes.
     *
     * @throws IllegalArgumentException when the network holds a layer or setting this exporter does not map
     */
    public static byte[] exportGenerator(MultiLayerNetwork generator) {
        long latentSize = generator.layerInputSize(0);
        long[] imageShape = outputShape(generator, latentSize);

        OnnxGraph graph = new OnnxGraph("shipgan_generator");
        String value = CheckpointRecord.LATENT_INPUT;
        for (int i = 0; i < generator.getnLayers(); i++) {
            InputPreProcessor preProcessor = generator.getLayerWiseConfigurations().getInputPreProcess(i);
            if (preProcessor != null) {
                value = exportPreProcessor(graph, i, preProcessor, value);
            }
            value = exportLayer(graph, i, generator.getLayer(i), value);
        }

        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("shipgan-trainer")
                .setDocString("ShipGAN DCGAN generator: latent [N, " + latentSize + "] -> image [N, "
                        + joined(imageShape) + "] in [-1, 1]")
                .setGraph(graph.build(CheckpointRecord.LATENT_INPUT, new long[] {latentSize},
                        CheckpointRecord.IMAGE_OUTPUT, imageShape, BATCH_DIM))
                .build();
        return model.toByteArray();
    }

    /** Shape of one sample of the generator's output, from one inference pass. */
    private static long[] outputShape(MultiLayerNetwork generator, long latentSize) {
        long[] shape = generator.output(Nd4j.zeros(DataType.FLOAT, 1, latentSize), false).shape();
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    private static String exportPreProcessor(OnnxGraph graph, int index, InputPreProcessor preProcessor,
                                             String input) {
        if (preProcessor instanceof FeedForwardToCnnPreProcessor toCnn) {
            String shape = graph.longConstant("layer" + index + "_reshape_shape",
                    -1, toCnn.getNumChannels(), toCnn.getInputHeight(), toCnn.getInputWidth());
            return graph.add("layer" + index + "_reshape", "Reshape", List.of(input, shape));
        }
        throw unsupported(index, preProcessor.getClass().getSimpleName());
    }

    private static String exportLayer(OnnxGraph graph, int index, Layer layer, String input) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        String prefix = "layer" + index;
        if (conf instanceof DenseLayer dense) {
            return exportActivation(graph, prefix, dense.getActivationFn(), exportDense(graph, prefix, layer, input));
        }
        if (conf instanceof Deconvolution2D deconvolution) {
            String output = exportDeconvolution(graph, prefix, layer, deconvolution, input);
            return exportActivation(graph, prefix, deconvolution.getActivationFn(), output);
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

    /** Dense: {@code x W + b} with W stored {@code [nIn, nOut]}, which is Gemm's B as it is. */
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

    private static String exportDeconvolution(OnnxGraph graph, String prefix, Layer layer, Deconvolution2D conf,
                                              String input) {
        // Same mode puts DL4J's odd padding pixel at the end, which symmetric ONNX pads cannot express.
        ConvolutionMode mode = conf.getConvolutionMode();
        if (mode != ConvolutionMode.Truncate && mode != ConvolutionMode.Strict) {
            throw new IllegalArgumentException(prefix + ": only Truncate or Strict convolution mode exports, not "
                    + mode);
        }
        if (conf.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw new IllegalArgumentException(prefix + ": only NCHW exports, not " + conf.getCnn2dDataFormat());
        }
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
        return graph.add(prefix + "_convtranspose", "ConvTranspose", inputs, attributes);
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
