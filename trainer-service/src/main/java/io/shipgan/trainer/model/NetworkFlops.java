package io.shipgan.trainer.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;

/**
 * Floating-point operations of one forward pass of a network, per sample, counted from its architecture: two per
 * multiply-add of the dense, convolution and transposed-convolution layers (the arithmetic that dominates; batch
 * normalisation, activations and resizes are left out). A training pass is counted as three forward passes (the
 * backward pass computes gradients for inputs and for weights, each as costly as the forward one).
 */
public final class NetworkFlops {

    /** Forward plus backward, in forward passes. */
    public static final int TRAINING_PASSES = 3;

    private NetworkFlops() {
    }

    public static long forwardPerSample(MultiLayerNetwork network, InputType input) {
        MultiLayerConfiguration configuration = network.getLayerWiseConfigurations();
        List<InputType> outputs = configuration.getLayerActivationTypes(input);
        long flops = 0;
        InputType in = input;
        for (int i = 0; i < network.getnLayers(); i++) {
            Layer layer = configuration.getConf(i).getLayer();
            InputType out = outputs.get(i);
            flops += layerFlops(layer, in, out);
            in = out;
        }
        return flops;
    }

    /**
     * One conditional DCGAN step on {@code batch} real chips as {@link GanTrainer#trainStep} takes it: the generator
     * forward and backward once, the discriminator forward and backward three times (real, generated, judged).
     */
    public static long ganStep(GanTrainer gan, int latentSize, int batch) {
        long generator = forwardPerSample(gan.generator(), InputType.feedForward(latentSize + gan.labels()));
        long discriminator = forwardPerSample(gan.discriminator(),
                InputType.convolutional(80, 80, gan.discriminatorChannels()));
        return (long) batch * TRAINING_PASSES * (generator + 3 * discriminator);
    }

    private static long layerFlops(Layer layer, InputType in, InputType out) {
        if (layer instanceof Deconvolution2D deconvolution) {
            InputType.InputTypeConvolutional input = (InputType.InputTypeConvolutional) in;
            int[] kernel = deconvolution.getKernelSize();
            // Each input pixel scatters a kernel-sized patch for every output channel.
            return 2L * input.getHeight() * input.getWidth() * deconvolution.getNIn() * deconvolution.getNOut()
                    * kernel[0] * kernel[1];
        }
        if (layer instanceof ConvolutionLayer convolution) {
            InputType.InputTypeConvolutional output = (InputType.InputTypeConvolutional) out;
            int[] kernel = convolution.getKernelSize();
            return 2L * output.getHeight() * output.getWidth() * convolution.getNIn() * convolution.getNOut()
                    * kernel[0] * kernel[1];
        }
        if (layer instanceof FeedForwardLayer dense) {
            return 2L * dense.getNIn() * dense.getNOut();
        }
        return 0;
    }
}
