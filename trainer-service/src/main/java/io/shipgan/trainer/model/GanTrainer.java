package io.shipgan.trainer.model;

import io.shipgan.trainer.config.TrainerConfig;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * One DCGAN training step at a time, on two separate networks. The generator learns from "external errors": the
 * gradient of the discriminator's loss with respect to its input image is fed into the generator's backward pass,
 * and each network's own Adam updater applies its gradient. No parameters are ever copied between networks, so
 * the generator can be exported as it is.
 */
public final class GanTrainer {

    /** The generator wants its images called real: no label smoothing for its target. */
    private static final double GENERATOR_TARGET = 1.0;
    private static final double FAKE_LABEL = 0.0;

    private final MultiLayerNetwork generator;
    private final MultiLayerNetwork discriminator;
    private final int latentSize;
    private final double realLabel;

    public GanTrainer(MultiLayerNetwork generator, MultiLayerNetwork discriminator, TrainerConfig config) {
        this.generator = generator;
        this.discriminator = discriminator;
        this.latentSize = config.latentSize();
        this.realLabel = config.realLabel();
    }

    /** Builds both networks from the configuration, seeded by it. */
    public static GanTrainer create(TrainerConfig config) {
        return new GanTrainer(Dcgan.generator(config), Dcgan.discriminator(config), config);
    }

    public MultiLayerNetwork generator() {
        return generator;
    }

    public MultiLayerNetwork discriminator() {
        return discriminator;
    }

    /**
     * One step on a batch of real chips, in the order of the PyTorch DCGAN example: the discriminator learns from
     * the real chips (target real-label) and from as many generated images (target 0) in one update, then the
     * generator learns from how the updated discriminator judges the same generated images.
     *
     * @param realChips {@code [N, 3, 80, 80]} in [-1, 1]
     */
    public StepLosses trainStep(INDArray realChips) {
        int batchSize = (int) realChips.size(0);
        INDArray latent = Nd4j.randn(DataType.FLOAT, batchSize, latentSize);
        INDArray generated = generateForTraining(latent);

        DiscriminatorPass onReal = backpropDiscriminator(realChips, realLabel);
        INDArray realGradient = onReal.gradient().gradient().dup();
        DiscriminatorPass onGenerated = backpropDiscriminator(generated, FAKE_LABEL);
        onGenerated.gradient().gradient().addi(realGradient);
        applyGradient(discriminator, onGenerated.gradient(), batchSize);

        DiscriminatorPass judged = backpropDiscriminator(generated, GENERATOR_TARGET);
        updateGenerator(judged.lossByImage(), batchSize);

        return new StepLosses(
                judged.loss().meanLoss(),
                onReal.loss().meanLoss() + onGenerated.loss().meanLoss(),
                onReal.loss().meanProbability(),
                onGenerated.loss().meanProbability());
    }

    /**
     * The generator's forward pass in training mode (batch statistics). Each layer keeps its input for the
     * backward pass of {@link #updateGenerator}.
     */
    private INDArray generateForTraining(INDArray latent) {
        generator.setInput(latent);
        List<INDArray> activations = generator.feedForward(true, false);
        return activations.get(activations.size() - 1);
    }

    /**
     * Forward and backward through the discriminator for one batch against one target. The returned parameter
     * gradient is a view of the discriminator's gradient array, overwritten by the next pass.
     */
    private DiscriminatorPass backpropDiscriminator(INDArray images, double target) {
        discriminator.setInput(images);
        List<INDArray> activations = discriminator.feedForward(true, false);
        BinaryCrossEntropy.Result loss = BinaryCrossEntropy.of(activations.get(activations.size() - 1), target);
        Pair<Gradient, INDArray> gradients =
                discriminator.backpropGradient(loss.gradientByLogit(), LayerWorkspaceMgr.noWorkspaces());
        return new DiscriminatorPass(loss, gradients.getFirst(), gradients.getSecond());
    }

    /**
     * @param gradient    d(loss)/d(discriminator parameters), summed over the batch
     * @param lossByImage d(loss)/d(input images), {@code [N, 3, 80, 80]}
     */
    private record DiscriminatorPass(BinaryCrossEntropy.Result loss, Gradient gradient, INDArray lossByImage) {
    }

    /** Backpropagates the discriminator's judgement of the generated images through the generator, and steps. */
    private void updateGenerator(INDArray lossByImage, int batchSize) {
        Gradient gradient = generator.backpropGradient(lossByImage, LayerWorkspaceMgr.noWorkspaces()).getFirst();
        applyGradient(generator, gradient, batchSize);
    }

    /** Adam turns the summed gradient, in place, into the step that is then subtracted from the parameters. */
    private static void applyGradient(MultiLayerNetwork network, Gradient gradient, int batchSize) {
        int iteration = network.getIterationCount();
        network.getUpdater().update(network, gradient, iteration, network.getEpochCount(), batchSize,
                LayerWorkspaceMgr.noWorkspaces());
        network.params().subi(gradient.gradient());
        network.setIterationCount(iteration + 1);
    }
}
