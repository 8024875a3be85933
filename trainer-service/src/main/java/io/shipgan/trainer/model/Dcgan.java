package io.shipgan.trainer.model;

import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.trainer.data.Chip;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The two networks of the class-conditional DCGAN.
 *
 * <p>The generator takes a latent vector with the one-hot label appended ({@code [N, latentSize + labels]}),
 * maps it to a 5x5 feature map and doubles that four times to an 80x80 RGB image in [-1, 1], with batch
 * normalisation and ReLU between the stages and tanh at the end. Each doubling is, by default, a stride-2
 * transposed convolution (classic DCGAN); {@code shipgan.trainer.upsampling=resize-conv} builds a
 * nearest-neighbour resize followed by a 3x3 convolution instead, which cannot leave the checkerboard that
 * overlapping transposed convolutions draw (Odena et al., 2016), at twice the cost per step in DL4J.
 *
 * <p>The discriminator halves its input four times with stride-2 convolutions and leaky ReLU and ends in logits.
 * How it learns the label is {@link Conditioning}: as an auxiliary classifier (the default) it sees the image alone,
 * {@code [N, 3, 80, 80]}, and gives {@code 1 + labels} logits, the first for real/fake and the others for the
 * label; with input planes it sees one constant plane per label appended to the image ({@code [N, 3 + labels, 80,
 * 80]}, the plane of the image's label all ones) and gives one logit, the probability that its input is a real chip
 * of that label. A model of one label needs neither: it sees the image and gives one logit.
 */
public final class Dcgan {

    /** Side of the generator's first feature map: 5 doubled four times is the chip size, 80. */
    public static final int SEED_SIZE = 5;

    /** How the generator doubles its feature maps. */
    public enum Upsampling {
        /** Nearest-neighbour resize, then a 3x3 convolution. */
        RESIZE_CONV,
        /** Stride-2 transposed convolution, kernel 4. */
        TRANSPOSED
    }

    /** How the discriminator learns the label of an image. */
    public enum Conditioning {
        /** AC-GAN: the image alone in, real/fake and label logits out. */
        AUXILIARY_CLASSIFIER,
        /** Label planes appended to the image, one real/fake logit out. */
        INPUT_PLANES;

        /** The label planes appended to the discriminator's input for a model of {@code labels} labels. */
        public int inputPlanes(int labels) {
            return this == INPUT_PLANES && labels > 1 ? labels : 0;
        }

        /** The label logits after the real/fake logit for a model of {@code labels} labels. */
        public int classLogits(int labels) {
            return this == AUXILIARY_CLASSIFIER && labels > 1 ? labels : 0;
        }
    }

    /** Kernel 4, stride 2 and padding 1 exactly double (or halve) a feature map. */
    private static final int KERNEL = 4;
    private static final int STRIDE = 2;
    private static final int PADDING = 1;

    /** Kernel 3 with padding 1 keeps the size of a feature map. */
    private static final int SMOOTH_KERNEL = 3;

    /** DCGAN's initialisation: weights from N(0, 0.02). */
    private static final double INIT_STD = 0.02;

    private Dcgan() {
    }

    /** An initialised generator: input {@code [N, latentSize + labels]}, output {@code [N, 3, 80, 80]}. */
    public static MultiLayerNetwork generator(TrainerConfig config, int labels) {
        int base = config.generatorFilters();
        int[] widths = {4 * base, 2 * base, base, Math.max(1, base / 2)};
        Upsampling upsampling = config.upsampling();
        NeuralNetConfiguration.ListBuilder layers = networkDefaults(config, config.seed())
                .list()
                // No bias before batch normalisation: its shift makes one redundant.
                .layer(new DenseLayer.Builder()
                        .nOut((long) widths[0] * SEED_SIZE * SEED_SIZE)
                        .hasBias(false)
                        .activation(Activation.IDENTITY)
                        .build())
                .inputPreProcessor(1, new FeedForwardToCnnPreProcessor(SEED_SIZE, SEED_SIZE, widths[0]))
                .layer(batchNormalization())
                .layer(new ActivationLayer(Activation.RELU));
        for (int i = 1; i < widths.length; i++) {
            addDoubling(layers, upsampling, widths[i], Activation.IDENTITY, false);
            layers.layer(batchNormalization())
                    .layer(new ActivationLayer(Activation.RELU));
        }
        addDoubling(layers, upsampling, Chip.CHANNELS, Activation.TANH, true);
        layers.setInputType(InputType.feedForward(config.latentSize() + labels));
        return initialised(layers.build());
    }

    /**
     * An initialised discriminator: input {@code [N, 3 + planes, 80, 80]}, output {@code [N, 1 + class logits]},
     * as {@link Conditioning} gives them.
     */
    public static MultiLayerNetwork discriminator(TrainerConfig config, int labels) {
        int base = config.discriminatorFilters();
        int[] widths = {Math.max(1, base / 2), base, 2 * base, 4 * base};
        // A different seed from the generator's, so the two do not start from correlated weights.
        NeuralNetConfiguration.ListBuilder layers = networkDefaults(config, config.seed() + 1).list();
        for (int width : widths) {
            layers.layer(new ConvolutionLayer.Builder(KERNEL, KERNEL)
                    .stride(STRIDE, STRIDE)
                    .padding(PADDING, PADDING)
                    .convolutionMode(ConvolutionMode.Truncate)
                    .nOut(width)
                    .activation(new ActivationLReLU(0.2))
                    .build());
        }
        // The losses work on the logits (DiscriminatorLoss), which stay exact where a sigmoid output saturates.
        Conditioning conditioning = config.conditioning();
        layers.layer(new DenseLayer.Builder()
                        .nOut(1 + conditioning.classLogits(labels))
                        .activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(Chip.SIZE, Chip.SIZE,
                        Chip.CHANNELS + conditioning.inputPlanes(labels)));
        return initialised(layers.build());
    }

    private static NeuralNetConfiguration.Builder networkDefaults(TrainerConfig config, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(config.learningRate(), config.beta1(), 0.999, 1e-8))
                .weightInit(new NormalDistribution(0, INIT_STD));
    }

    private static void addDoubling(NeuralNetConfiguration.ListBuilder layers, Upsampling upsampling, int channels,
                                    Activation activation, boolean bias) {
        if (upsampling == Upsampling.TRANSPOSED) {
            layers.layer(new Deconvolution2D.Builder(KERNEL, KERNEL)
                    .stride(STRIDE, STRIDE)
                    .padding(PADDING, PADDING)
                    .convolutionMode(ConvolutionMode.Truncate)
                    .nOut(channels)
                    .hasBias(bias)
                    .activation(activation)
                    .build());
            return;
        }
        layers.layer(new Upsampling2D.Builder(STRIDE).build())
                .layer(new ConvolutionLayer.Builder(SMOOTH_KERNEL, SMOOTH_KERNEL)
                        .stride(1, 1)
                        .padding(1, 1)
                        .convolutionMode(ConvolutionMode.Truncate)
                        .nOut(channels)
                        .hasBias(bias)
                        .activation(activation)
                        .build());
    }

    private static BatchNormalization batchNormalization() {
        // DL4J never applies a batch normalisation layer's activation, but it defaults to sigmoid: say identity
        // so that the exporter and a reader both see what really runs.
        return new BatchNormalization.Builder().activation(Activation.IDENTITY).build();
    }

    private static MultiLayerNetwork initialised(MultiLayerConfiguration configuration) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        return network;
    }
}
