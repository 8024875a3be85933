package io.shipgan.trainer.score;

import io.quarkus.logging.Log;
import io.shipgan.trainer.data.Chip;
import io.shipgan.trainer.data.ChipLabel;
import io.shipgan.trainer.data.ChipSet;
import io.shipgan.trainer.data.Seeds;
import io.shipgan.trainer.model.GanTrainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Scores a generator against the held-out chips. For each label it draws a fixed set of samples (the same latents
 * at every checkpoint) and reports:
 * <ul>
 *   <li>{@code ship_rate} / {@code no_ship_rate}: the fraction of samples the classifier calls by their label;</li>
 *   <li>{@code fd_ship} / {@code fd_no_ship}: the Fréchet distance between the samples' and the held-out chips'
 *       classifier features;</li>
 *   <li>{@code fd_floor_ship} / {@code fd_floor_no_ship}: the same distance between the real training chips and
 *       the held-out chips, computed once: what no generator can be expected to beat;</li>
 *   <li>{@code classifier_accuracy}: the classifier's accuracy on the held-out chips.</li>
 * </ul>
 */
public final class CheckpointScorer {

    private static final int GENERATION_BATCH = 50;

    /** The score name of the classifier's held-out accuracy. */
    public static final String CLASSIFIER_ACCURACY = "classifier_accuracy";

    private final ShipClassifier classifier;
    private final List<ChipLabel> modelLabels;
    private final int samples;
    private final long seed;
    private final int latentSize;
    private final double classifierAccuracy;
    private final Map<ChipLabel, FrechetDistance.Gaussian> heldout = new LinkedHashMap<>();
    private final Map<ChipLabel, Double> floors = new LinkedHashMap<>();

    public CheckpointScorer(ShipClassifier classifier, double classifierAccuracy, ChipSet chips,
                            List<ChipLabel> modelLabels, int samples, long seed, int latentSize) {
        this.classifier = classifier;
        this.classifierAccuracy = classifierAccuracy;
        this.modelLabels = List.copyOf(modelLabels);
        this.samples = samples;
        this.seed = seed;
        this.latentSize = latentSize;
        for (ChipLabel label : modelLabels) {
            List<Chip> heldoutChips = ofLabel(chips.heldout(), label);
            List<Chip> trainChips = ofLabel(chips.train(), label);
            if (heldoutChips.size() < 2 || trainChips.size() < 2) {
                continue;
            }
            FrechetDistance.Gaussian heldoutFeatures = FrechetDistance.Gaussian.of(classifier.features(heldoutChips));
            heldout.put(label, heldoutFeatures);
            floors.put(label, FrechetDistance.between(
                    FrechetDistance.Gaussian.of(classifier.features(trainChips)), heldoutFeatures));
        }
        Log.infof("scoring checkpoints with %d samples per label; Frechet distance floor (real train vs held-out): %s",
                samples, floors);
    }

    /** The score names of one label, e.g. {@code ship_rate} and {@code fd_ship}. */
    public static String rateKey(ChipLabel label) {
        return key(label) + "_rate";
    }

    public static String distanceKey(ChipLabel label) {
        return "fd_" + key(label);
    }

    public static String floorKey(ChipLabel label) {
        return "fd_floor_" + key(label);
    }

    private static String key(ChipLabel label) {
        return label.configName().replace('-', '_');
    }

    /** The scores of the generator as it is now, in inference mode; takes a few seconds. */
    public Map<String, Double> score(MultiLayerNetwork generator) {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put(CLASSIFIER_ACCURACY, classifierAccuracy);
        for (int index = 0; index < modelLabels.size(); index++) {
            ChipLabel label = modelLabels.get(index);
            List<double[]> features = new ArrayList<>();
            int calledRight = 0;
            for (int from = 0; from < samples; from += GENERATION_BATCH) {
                int count = Math.min(GENERATION_BATCH, samples - from);
                INDArray images = generate(generator, index, from, count);
                double[] ship = classifier.shipProbabilities(images);
                for (double probability : ship) {
                    if (probability >= 0.5 == (label == ChipLabel.SHIP)) {
                        calledRight++;
                    }
                }
                features.addAll(Arrays.asList(classifier.features(images)));
            }
            scores.put(rateKey(label), (double) calledRight / samples);
            FrechetDistance.Gaussian real = heldout.get(label);
            if (real != null) {
                scores.put(distanceKey(label),
                        FrechetDistance.between(FrechetDistance.Gaussian.of(features.toArray(double[][]::new)), real));
                scores.put(floorKey(label), floors.get(label));
            }
        }
        return scores;
    }

    /** Samples {@code from .. from + count} of one label: latents fixed by the seed, the same at every checkpoint. */
    private INDArray generate(MultiLayerNetwork generator, int labelIndex, int from, int count) {
        float[] values = new float[count * latentSize];
        for (int i = 0; i < count; i++) {
            SplittableRandom random = new SplittableRandom(Seeds.mix(seed, Seeds.SCORE_LATENTS, from + i));
            for (int j = 0; j < latentSize; j++) {
                values[i * latentSize + j] = (float) random.nextGaussian();
            }
        }
        int[] labels = new int[count];
        Arrays.fill(labels, labelIndex);
        INDArray input = GanTrainer.generatorInput(Nd4j.create(values, new long[] {count, latentSize}, 'c'), labels,
                modelLabels.size());
        return generator.output(input, false);
    }

    private static List<Chip> ofLabel(List<Chip> chips, ChipLabel label) {
        return chips.stream().filter(chip -> chip.label() == label).toList();
    }
}
