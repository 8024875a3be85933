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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanTrainerTest {

    private static ChipSet chips;

    @BeforeAll
    static void loadChips() {
        chips = ShipsNetLoader.load(TestSupport.shipsnetFolder(), TestSupport.heldoutScenesFile(),
                EnumSet.of(ChipLabel.SHIP), 16);
    }

    @Test
    void defaultNetworksHaveTheDocumentedShapes() {
        TrainerConfig config = TestSupport.trainerConfig(Map.of());
        MultiLayerNetwork generator = Dcgan.generator(config);
        MultiLayerNetwork discriminator = Dcgan.discriminator(config);

        INDArray images = generator.output(Nd4j.randn(DataType.FLOAT, 2, 100), false);
        INDArray logits = discriminator.output(images, false);

        assertArrayEquals(new long[] {2, 3, 80, 80}, images.shape());
        assertArrayEquals(new long[] {2, 1}, logits.shape());
        // Dense 100 -> 256x5x5 (no bias), BN, then 256->128->64->32 (no bias, BN) and 32->3 (+3 bias), k4.
        long expectedGenerator = 100L * 6400 + 4 * 256
                + 256L * 128 * 16 + 4 * 128 + 128L * 64 * 16 + 4 * 64 + 64L * 32 * 16 + 4 * 32
                + 32L * 3 * 16 + 3;
        long expectedDiscriminator = 3L * 32 * 16 + 32 + 32L * 64 * 16 + 64 + 64L * 128 * 16 + 128
                + 128L * 256 * 16 + 256 + 256L * 25 + 1;
        assertEquals(expectedGenerator, generator.numParams());
        assertEquals(expectedDiscriminator, discriminator.numParams());
        assertTrue(images.amaxNumber().doubleValue() <= 1.0, "tanh output stays in [-1, 1]");
    }

    @Test
    void realTrainingStepsChangeBothNetworksAndGiveFiniteChangingLosses() {
        TrainerConfig config = TestSupport.smallModelConfig();
        Nd4j.getRandom().setSeed(config.seed());
        GanTrainer gan = GanTrainer.create(config);
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
    void firstDiscriminatorLossIsNearTwiceLogTwoForUntrainedNetworks() {
        TrainerConfig config = TestSupport.smallModelConfig();
        Nd4j.getRandom().setSeed(config.seed());

        StepLosses first = trainSteps(GanTrainer.create(config), config, 1).get(0);

        // Small initial weights give logits near 0, so D(x) and D(G(z)) near 0.5 and each loss near ln 2
        // (against the smoothed 0.9 target on real chips: 0.9 ln 2 + 0.1 ln 2 = ln 2 as well).
        assertEquals(2 * Math.log(2), first.discriminator(), 0.1);
        assertEquals(Math.log(2), first.generator(), 0.1);
        assertEquals(0.5, first.realProbability(), 0.05);
        assertEquals(0.5, first.fakeProbability(), 0.05);
    }

    private static List<StepLosses> trainSteps(GanTrainer gan, TrainerConfig config, int steps) {
        ChipBatches batches = new ChipBatches(chips.train(), config.batchSize(), new Random(config.seed()));
        List<StepLosses> losses = new ArrayList<>();
        Iterator<INDArray> epoch = batches.nextEpoch();
        for (int i = 0; i < steps; i++) {
            if (!epoch.hasNext()) {
                epoch = batches.nextEpoch();
            }
            losses.add(gan.trainStep(epoch.next()));
        }
        return losses;
    }

    private static INDArray firstBatchNormMean(MultiLayerNetwork generator) {
        return generator.getLayer(1).getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
    }
}
