package io.shipgan.trainer.score;

import io.quarkus.logging.Log;
import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.trainer.data.Chip;
import io.shipgan.trainer.data.ChipAugmentation;
import io.shipgan.trainer.data.ChipLabel;
import io.shipgan.trainer.data.Seeds;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * An independent ship/no-ship CNN, trained on the chips of the training scenes only, that judges generated
 * images: which class it calls them, and where they fall in its feature space (the layer before its output), the
 * space the Fréchet distance is measured in. Four stride-2 3x3 convolutions with ReLU (80 -> 40 -> 20 -> 10 -> 5;
 * strided rather than pooled, a quarter of the arithmetic), a ReLU feature layer and a softmax over
 * (no-ship, ship), the ShipsNet class codes.
 */
public final class ShipClassifier {

    /** Index of the feature layer: four convolutions come before it. */
    public static final int FEATURE_LAYER = 4;

    /** Output index of each class: the ShipsNet code. */
    public static final int SHIP_OUTPUT = ChipLabel.SHIP.code();

    private static final int EVALUATION_BATCH = 100;

    private final MultiLayerNetwork network;

    public ShipClassifier(MultiLayerNetwork network) {
        this.network = network;
    }

    public MultiLayerNetwork network() {
        return network;
    }

    /** A fresh, untrained classifier. */
    public static MultiLayerNetwork build(TrainerConfig.Classifier config, long seed) {
        int base = config.filters();
        int[] widths = {base, 2 * base, 4 * base, 4 * base};
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(config.learningRate()))
                .weightInit(WeightInit.RELU)
                .list();
        for (int width : widths) {
            layers.layer(new ConvolutionLayer.Builder(3, 3)
                    .stride(2, 2)
                    .padding(1, 1)
                    .convolutionMode(ConvolutionMode.Truncate)
                    .nOut(width)
                    .activation(Activation.RELU)
                    .build());
        }
        layers.layer(new DenseLayer.Builder().nOut(config.features()).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(ChipLabel.values().length)
                        .activation(Activation.SOFTMAX)
                        .weightInit(WeightInit.XAVIER)
                        .build())
                .setInputType(InputType.convolutional(Chip.SIZE, Chip.SIZE, Chip.CHANNELS));
        MultiLayerNetwork network = new MultiLayerNetwork(layers.build());
        network.init();
        return network;
    }

    /**
     * Trains a classifier on the given chips (every flip and quarter turn of them is as real), each epoch in a
     * fresh order drawn from the seed.
     */
    public static ShipClassifier train(List<Chip> chips, TrainerConfig.Classifier config, long seed) {
        MultiLayerNetwork network = build(config, seed);
        List<Chip> order = new ArrayList<>(chips);
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            long started = System.nanoTime();
            Collections.shuffle(order, new Random(Seeds.mix(seed, Seeds.CLASSIFIER, epoch)));
            SplittableRandom turns = new SplittableRandom(Seeds.mix(seed, Seeds.CLASSIFIER + 1, epoch));
            for (int from = 0; from < order.size(); from += config.batchSize()) {
                List<Chip> batch = order.subList(from, Math.min(order.size(), from + config.batchSize()));
                float[] values = new float[batch.size() * Chip.VALUES];
                float[] targets = new float[batch.size() * ChipLabel.values().length];
                for (int i = 0; i < batch.size(); i++) {
                    float[] turned = ChipAugmentation.transform(batch.get(i).pixels(),
                            turns.nextInt(ChipAugmentation.TRANSFORMS));
                    System.arraycopy(turned, 0, values, i * Chip.VALUES, Chip.VALUES);
                    targets[i * ChipLabel.values().length + batch.get(i).label().code()] = 1f;
                }
                network.fit(images(values, batch.size()),
                        Nd4j.create(targets, new long[] {batch.size(), ChipLabel.values().length}, 'c'));
            }
            Log.infof("classifier epoch %d/%d: loss %.4f, %.1f s", epoch + 1, config.epochs(), network.score(),
                    (System.nanoTime() - started) / 1e9);
        }
        return new ShipClassifier(network);
    }

    /** Fraction of the chips whose class the classifier gets right. */
    public double accuracy(List<Chip> chips) {
        if (chips.isEmpty()) {
            return Double.NaN;
        }
        int correct = 0;
        for (int from = 0; from < chips.size(); from += EVALUATION_BATCH) {
            List<Chip> batch = chips.subList(from, Math.min(chips.size(), from + EVALUATION_BATCH));
            double[] ship = shipProbabilities(stack(batch));
            for (int i = 0; i < batch.size(); i++) {
                boolean calledShip = ship[i] >= 0.5;
                if (calledShip == (batch.get(i).label() == ChipLabel.SHIP)) {
                    correct++;
                }
            }
        }
        return (double) correct / chips.size();
    }

    /** For each image of {@code [N, 3, 80, 80]}, the probability that it shows a ship. */
    public double[] shipProbabilities(INDArray images) {
        INDArray output = network.output(images, false);
        return output.getColumn(SHIP_OUTPUT).castTo(DataType.DOUBLE).toDoubleVector();
    }

    /** The feature vector of each image, one row per image. */
    public double[][] features(INDArray images) {
        List<INDArray> activations = network.feedForwardToLayer(FEATURE_LAYER, images, false);
        return activations.get(FEATURE_LAYER + 1).castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** The features of chips, in batches. */
    public double[][] features(List<Chip> chips) {
        List<double[]> rows = new ArrayList<>();
        for (int from = 0; from < chips.size(); from += EVALUATION_BATCH) {
            Collections.addAll(rows, features(stack(chips.subList(from, Math.min(chips.size(),
                    from + EVALUATION_BATCH)))));
        }
        return rows.toArray(double[][]::new);
    }

    static INDArray stack(List<Chip> chips) {
        float[] values = new float[chips.size() * Chip.VALUES];
        for (int i = 0; i < chips.size(); i++) {
            System.arraycopy(chips.get(i).pixels(), 0, values, i * Chip.VALUES, Chip.VALUES);
        }
        return images(values, chips.size());
    }

    private static INDArray images(float[] values, int count) {
        return Nd4j.create(values, new long[] {count, Chip.CHANNELS, Chip.SIZE, Chip.SIZE}, 'c');
    }
}
