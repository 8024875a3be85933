package io.shipgan.trainer.model;

import io.shipgan.trainer.TestSupport;
import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.trainer.data.ChipBatches;
import io.shipgan.trainer.data.ChipLabel;
import io.shipgan.trainer.data.ChipSet;
import io.shipgan.trainer.data.ShipsNetLoader;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanTrainerTest {

    private static ChipSet chips;

    @BeforeAll
    static void loadChips() {
        chips = ShipsNetLoader.load(TestSupport.shipsnetFolder(), TestSupport.heldoutScenesFile(),
                EnumSet.allOf(ChipLabel.class), 16);
    }

    @Test
    void defaultNetworksHaveTheDocumentedShapes() {
        TrainerConfig config = TestSupport.trainerConfig(Map.of("upsampling", "resize-conv",
                "conditioning", "input-planes"));
        MultiLayerNetwork generator = Dcgan.generator(config, 2);
        MultiLayerNetwork discriminator = Dcgan.discriminator(config, 2);

        int[] labels = {0, 1};
        INDArray images = generator.output(GanTrainer.generatorInput(Nd4j.randn(DataType.FLOAT, 2, 100), labels, 2),
                false);
        INDArray logits = discriminator.output(Nd4j.concat(1, images, GanTrainer.labelPlanes(labels, 2)), false);

        assertArrayEquals(new long[] {2, 3, 80, 80}, images.shape());
        assertArrayEquals(new long[] {2, 1}, logits.shape());
        // Dense (100 + 2 labels) -> 256x5x5 (no bias), BN, then resize + 3x3 convolutions 256->128->64->32
        // (no bias, BN) and 32->3 (+3 bias).
        long expectedGenerator = 102L * 6400 + 4 * 256
                + 256L * 128 * 9 + 4 * 128 + 128L * 64 * 9 + 4 * 64 + 64L * 32 * 9 + 4 * 32
                + 32L * 3 * 9 + 3;
        // k4 s2 convolutions on RGB + 2 label planes: 5->32->64->128->256, then one logit.
        long expectedDiscriminator = 5L * 32 * 16 + 32 + 32L * 64 * 16 + 64 + 64L * 128 * 16 + 128
                + 128L * 256 * 16 + 256 + 256L * 25 + 1;
        assertEquals(expectedGenerator, generator.numParams());
        assertEquals(expectedDiscriminator, discriminator.numParams());
        assertTrue(images.amaxNumber().doubleValue() <= 1.0, "tanh output stays in [-1, 1]");
        // The default, transposed 4x4 convolutions: 256->128->64->32 (no bias, BN) and 32->3 (+3 bias).
        MultiLayerNetwork transposed = Dcgan.generator(TestSupport.trainerConfig(Map.of()), 2);
        assertEquals(102L * 6400 + 4 * 256 + 256L * 128 * 16 + 4 * 128 + 128L * 64 * 16 + 4 * 64 + 64L * 32 * 16
                + 4 * 32 + 32L * 3 * 16 + 3, transposed.numParams());
        assertArrayEquals(new long[] {2, 3, 80, 80}, transposed.output(GanTrainer.generatorInput(
                Nd4j.randn(DataType.FLOAT, 2, 100), labels, 2), false).shape());
    }

    @Test
    void theDefaultAuxiliaryClassifierSeesTheImageAloneAndGivesRealFakeAndLabelLogits() {
        TrainerConfig config = TestSupport.trainerConfig(Map.of());
        MultiLayerNetwork discriminator = Dcgan.discriminator(config, 2);

        INDArray logits = discriminator.output(Nd4j.rand(DataType.FLOAT, 4, 3, 80, 80), false);

        assertArrayEquals(new long[] {4, 3}, logits.shape(), "one real/fake logit and one per label");
        // k4 s2 convolutions on RGB alone: 3->32->64->128->256, then three logits.
        assertEquals(3L * 32 * 16 + 32 + 32L * 64 * 16 + 64 + 64L * 128 * 16 + 128 + 128L * 256 * 16 + 256
                + 256L * 25 * 3 + 3, discriminator.numParams());
        // A model of one label has nothing to name: one logit.
        assertArrayEquals(new long[] {4, 1}, Dcgan.discriminator(config, 1)
                .output(Nd4j.rand(DataType.FLOAT, 4, 3, 80, 80), false).shape());
    }

    @Test
    void realTrainingStepsChangeBothNetworksAndGiveFiniteChangingLosses() {
        TrainerConfig config = TestSupport.smallModelConfig();
        GanTrainer gan = GanTrainer.create(config, 2);
        INDArray generatorBefore = gan.generator().params().dup();
        INDArray discriminatorBefore = gan.discriminator().params().dup();
        INDArray runningMeanBefore = firstBatchNormMean(gan.generator()).dup();

        List<StepLosses> losses = trainSteps(gan, config, 3);

        for (StepLosses step : losses) {
            assertTrue(step.finite(), step.toString());
            assertTrue(step.generator() > 0 && step.discriminator() > 0, step.toString());
            assertTrue(step.realProbability() > 0 && step.realProbability() < 1, step.toString());
        }
        assertNotEquals(losses.get(0).generator(), losses.get(2).generator());
        assertNotEquals(losses.get(0).discriminator(), losses.get(2).discriminator());
        assertTrue(gan.generator().params().distance2(generatorBefore) > 0);
        assertTrue(gan.discriminator().params().distance2(discriminatorBefore) > 0);
        assertTrue(firstBatchNormMean(gan.generator()).distance2(runningMeanBefore) > 0,
                "training steps move the generator's running batch statistics");
        assertEquals(3, gan.generator().getIterationCount());
        assertEquals(3, gan.discriminator().getIterationCount());
    }

    @Test
    void firstLossesAreNearLogTwoPerTermForUntrainedNetworks() {
        TrainerConfig planes = TestSupport.smallModelConfig(Map.of("conditioning", "input-planes"));
        TrainerConfig auxiliary = TestSupport.smallModelConfig(Map.of("auxiliary-weight", "0.5"));

        StepLosses byPlanes = trainSteps(GanTrainer.create(planes, 2), planes, 1).get(0);
        StepLosses byClassifier = trainSteps(GanTrainer.create(auxiliary, 2), auxiliary, 1).get(0);

        // Small initial weights give logits near 0, so D(x) and D(G(z)) near 0.5 and each loss near ln 2
        // (against the smoothed 0.9 target on real chips: 0.9 ln 2 + 0.1 ln 2 = ln 2 as well), and the label
        // cross-entropy of two labels near ln 2 too, weighted 0.5: on real chips for D, on generated ones for G.
        assertEquals(2 * Math.log(2), byPlanes.discriminator(), 0.1);
        assertEquals(Math.log(2), byPlanes.generator(), 0.1);
        assertEquals(0.5, byPlanes.realProbability(), 0.05);
        assertEquals(0.5, byPlanes.fakeProbability(), 0.05);
        assertEquals(Double.NaN, byPlanes.realLabelAccuracy());
        assertEquals(2.5 * Math.log(2), byClassifier.discriminator(), 0.1);
        assertEquals(1.5 * Math.log(2), byClassifier.generator(), 0.1);
        assertTrue(byClassifier.realLabelAccuracy() >= 0 && byClassifier.realLabelAccuracy() <= 1);
    }

    @Test
    void theAuxiliaryClassifierLearnsTheLabelsOfRealChips() {
        TrainerConfig config = TestSupport.smallModelConfig(Map.of("auxiliary-weight", "4", "learning-rate",
                "2e-3"));
        GanTrainer gan = GanTrainer.create(config, 2);

        List<StepLosses> losses = trainSteps(gan, config, 24);

        double early = (losses.get(0).realLabelAccuracy() + losses.get(1).realLabelAccuracy()) / 2;
        double late = losses.subList(18, 24).stream().mapToDouble(StepLosses::realLabelAccuracy).average()
                .orElseThrow();
        assertTrue(late > early && late >= 0.75, "label accuracy on real chips " + early + " -> " + late);
    }

    @Test
    void theSameSeedTakesTheSameStepsWithoutAnySavedRandomState() {
        TrainerConfig config = TestSupport.smallModelConfig();
        GanTrainer first = GanTrainer.create(config, 2);
        GanTrainer second = GanTrainer.create(config, 2);

        trainSteps(first, config, 2);
        trainSteps(second, config, 2);

        assertEquals(first.generator().params(), second.generator().params());
        assertEquals(first.discriminator().params(), second.discriminator().params());
    }

    @Test
    void theLabelChangesWhatTheGeneratorDraws() {
        GanTrainer gan = GanTrainer.create(TestSupport.smallModelConfig(), 2);
        INDArray latent = gan.latents(1, 7, 0);

        INDArray ship = gan.generator().output(GanTrainer.generatorInput(latent, new int[] {0}, 2), false);
        INDArray noShip = gan.generator().output(GanTrainer.generatorInput(latent, new int[] {1}, 2), false);

        assertTrue(ship.distance2(noShip) > 0, "the one-hot label is part of the generator's input");
    }

    static List<StepLosses> trainSteps(GanTrainer gan, TrainerConfig config, int steps) {
        ChipBatches batches = new ChipBatches(chips.train(), List.of(ChipLabel.SHIP, ChipLabel.NO_SHIP),
                config.batchSize(), config.seed());
        List<StepLosses> losses = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            losses.add(gan.trainStep(batches.batch(step), step));
        }
        return losses;
    }

    private static INDArray firstBatchNormMean(MultiLayerNetwork generator) {
        return generator.getLayer(1).getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
    }
}
