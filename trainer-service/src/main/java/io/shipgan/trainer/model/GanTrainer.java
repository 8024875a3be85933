package io.shipgan.trainer.model;

import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.trainer.data.Chip;
import io.shipgan.trainer.data.Seeds;
import io.shipgan.trainer.data.TrainingBatch;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One training step of the conditional DCGAN at a time, on two separate networks. The generator learns from
 * "external errors": the gradient of the discriminator's loss with respect to its input image is carried back
 * through the augmentation and fed into the generator's backward pass, and each network's own Adam updater applies
 * its gradient. No parameters are ever copied between networks, so the generator can be exported as it is.
 *
 * <p>Every random draw of a step (latents, augmentation) comes from generators seeded by (seed, step): the same
 * networks at the same step take the same step, whether the run was resumed or not.
 */
public final class GanTrainer {

    /** The generator wants its images called real: no label smoothing for its target. */
    private static final double GENERATOR_TARGET = 1.0;
    private static final double FAKE_LABEL = 0.0;

    private final MultiLayerNetwork generator;
    private final MultiLayerNetwork discriminator;
    private final int latentSize;
    private final int labels;
    private final double realLabel;
    private final long seed;
    private final DiffAugment augment;
    private final Dcgan.Conditioning conditioning;
    private final double auxiliaryWeight;

    public GanTrainer(MultiLayerNetwork generator, MultiLayerNetwork discriminator, TrainerConfig config,
                      int labels) {
        this.generator = generator;
        this.discriminator = discriminator;
        this.latentSize = config.latentSize();
        this.labels = labels;
        this.realLabel = config.realLabel();
        this.seed = config.seed();
        this.augment = new DiffAugment(config.augment().translation(), config.augment().cutout());
        this.conditioning = config.conditioning();
        this.auxiliaryWeight = config.auxiliaryWeight();
    }

    /** Builds both networks from the configuration, seeded by it, for a model of {@code labels} labels. */
    public static GanTrainer create(TrainerConfig config, int labels) {
        return new GanTrainer(Dcgan.generator(config, labels), Dcgan.discriminator(config, labels), config, labels);
    }

    public MultiLayerNetwork generator() {
        return generator;
    }

    public MultiLayerNetwork discriminator() {
        return discriminator;
    }

    public int labels() {
        return labels;
    }

    /** Channels of the discriminator's input: RGB, and one plane per label when it is conditioned by planes. */
    public int discriminatorChannels() {
        return Chip.CHANNELS + conditioning.inputPlanes(labels);
    }

    /**
     * Step {@code step} (0-based) on a batch of real chips, in the order of the PyTorch DCGAN example: the
     * discriminator learns from the real chips (target real-label) and from as many generated images of the same
     * labels (target 0) in one update, then the generator learns from how the updated discriminator judges the
     * same generated images, each time through a freshly drawn augmentation. An auxiliary classifier learns the
     * labels of the real chips only, so that what it names "ship" is what real ships look like; the generator
     * learns to have its images named by the labels they were drawn for.
     */
    public StepLosses trainStep(TrainingBatch batch, long step) {
        int batchSize = batch.size();
        int[] batchLabels = batch.labels();
        INDArray generated = generateForTraining(latents(batchSize, seed, step), batchLabels);
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, Seeds.DIFF_AUGMENT, step));

        DiscriminatorPass onReal = backpropDiscriminator(
                discriminatorInput(augment(batch.images(), random).forward(batch.images()), batchLabels),
                realLabel, batchLabels);
        INDArray realGradient = onReal.gradient().gradient().dup();
        DiscriminatorPass onGenerated = backpropDiscriminator(
                discriminatorInput(augment(generated, random).forward(generated), batchLabels), FAKE_LABEL, null);
        onGenerated.gradient().gradient().addi(realGradient);
        applyGradient(discriminator, onGenerated.gradient(), batchSize);

        DiffAugment.Transforms judging = augment(generated, random);
        DiscriminatorPass judged = backpropDiscriminator(discriminatorInput(judging.forward(generated), batchLabels),
                GENERATOR_TARGET, batchLabels);
        INDArray byImage = judged.lossByInput().get(NDArrayIndex.all(), NDArrayIndex.interval(0, Chip.CHANNELS),
                NDArrayIndex.all(), NDArrayIndex.all());
        updateGenerator(judging.backward(byImage), batchSize);

        return new StepLosses(
                judged.loss().meanLoss() + auxiliaryWeight * judged.loss().meanClassLoss(),
                onReal.loss().meanLoss() + auxiliaryWeight * onReal.loss().meanClassLoss()
                        + onGenerated.loss().meanLoss(),
                onReal.loss().meanProbability(),
                onGenerated.loss().meanProbability(),
                onReal.loss().classAccuracy(),
                judged.loss().classAccuracy());
    }

    /**
     * The generator's input: each latent with the one-hot vector of its label appended, {@code [N, latent +
     * labels]}.
     */
    public static INDArray generatorInput(INDArray latents, int[] labelIndices, int labels) {
        return Nd4j.hstack(latents, oneHot(labelIndices, labels));
    }

    /** Standard normal latents {@code [N, latentSize]} drawn for one step of one seed. */
    public INDArray latents(int count, long runSeed, long step) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(runSeed, Seeds.LATENTS, step));
        float[] values = new float[count * latentSize];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Nd4j.create(values, new long[] {count, latentSize}, 'c');
    }

    private static INDArray oneHot(int[] labelIndices, int labels) {
        float[] values = new float[labelIndices.length * labels];
        for (int i = 0; i < labelIndices.length; i++) {
            values[i * labels + labelIndices[i]] = 1f;
        }
        return Nd4j.create(values, new long[] {labelIndices.length, labels}, 'c');
    }

    /** One constant plane per label for each image, all ones in its label's plane: {@code [N, labels, 80, 80]}. */
    static INDArray labelPlanes(int[] labelIndices, int labels) {
        int plane = Chip.SIZE * Chip.SIZE;
        float[] values = new float[labelIndices.length * labels * plane];
        for (int i = 0; i < labelIndices.length; i++) {
            Arrays.fill(values, (i * labels + labelIndices[i]) * plane,
                    (i * labels + labelIndices[i] + 1) * plane, 1f);
        }
        return Nd4j.create(values, new long[] {labelIndices.length, labels, Chip.SIZE, Chip.SIZE}, 'c');
    }

    /** What the discriminator sees of images of these labels: the images, with label planes when it wants them. */
    private INDArray discriminatorInput(INDArray images, int[] labelIndices) {
        return conditioning.inputPlanes(labels) == 0 ? images
                : Nd4j.concat(1, images, labelPlanes(labelIndices, labels));
    }

    private DiffAugment.Transforms augment(INDArray images, SplittableRandom random) {
        return augment.draw((int) images.size(0), random);
    }

    /**
     * The generator's forward pass in training mode (batch statistics). Each layer keeps its input for the
     * backward pass of {@link #updateGenerator}.
     */
    private INDArray generateForTraining(INDArray latents, int[] labelIndices) {
        generator.setInput(generatorInput(latents, labelIndices, labels));
        List<INDArray> activations = generator.feedForward(true, false);
        return activations.get(activations.size() - 1);
    }

    /**
     * Forward and backward through the discriminator for one batch against one real/fake target and, when {@code
     * labelIndices} is given and the discriminator names labels, against those labels. The returned parameter
     * gradient is a view of the discriminator's gradient array, overwritten by the next pass.
     */
    private DiscriminatorPass backpropDiscriminator(INDArray input, double target, int[] labelIndices) {
        discriminator.setInput(input);
        List<INDArray> activations = discriminator.feedForward(true, false);
        DiscriminatorLoss.Result loss = DiscriminatorLoss.of(activations.get(activations.size() - 1), target,
                labelIndices, auxiliaryWeight);
        Pair<Gradient, INDArray> gradients =
                discriminator.backpropGradient(loss.gradientByLogit(), LayerWorkspaceMgr.noWorkspaces());
        return new DiscriminatorPass(loss, gradients.getFirst(), gradients.getSecond());
    }

    /**
     * @param gradient    d(loss)/d(discriminator parameters), summed over the batch
     * @param lossByInput d(loss)/d(input: images, and label planes if any), {@code [N, 3 + planes, 80, 80]}
     */
    private record DiscriminatorPass(DiscriminatorLoss.Result loss, Gradient gradient, INDArray lossByInput) {
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
