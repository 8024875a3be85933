package io.shipgan.trainer.model;

import io.shipgan.trainer.TestSupport;
import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.trainer.data.ChipBatches;
import io.shipgan.trainer.data.ChipLabel;
import io.shipgan.trainer.data.ChipSet;
import io.shipgan.trainer.data.ShipsNetLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SavedTrainingTest {

    private static final int LABELS = 2;
    private static final String SPLIT = "split-a";

    @TempDir
    Path stateDir;

    @Test
    void restoredNetworksGenerateAndTrainExactlyAsTheSavedOnes() throws IOException {
        TrainerConfig config = TestSupport.smallModelConfig();
        GanTrainer gan = GanTrainer.create(config, LABELS);
        ChipBatches batches = realBatches(config);
        gan.trainStep(batches.batch(0), 0);
        gan.trainStep(batches.batch(1), 1);

        SavedTraining.save(stateDir, gan, 2, 1, config.seed(), SPLIT);
        SavedTraining.Restored restored = SavedTraining.restore(stateDir, config, LABELS, SPLIT).orElseThrow();

        assertEquals(2, restored.step());
        assertEquals(1, restored.epoch());
        assertEquals(gan.generator().params(), restored.gan().generator().params());
        assertEquals(gan.discriminator().params(), restored.gan().discriminator().params());
        assertEquals(gan.generator().getUpdater().getStateViewArray(),
                restored.gan().generator().getUpdater().getStateViewArray(), "Adam state is kept");
        assertEquals(2, restored.gan().generator().getIterationCount());
        INDArray input = GanTrainer.generatorInput(Nd4j.randn(DataType.FLOAT, 2, 100), new int[] {0, 1}, LABELS);
        assertEquals(gan.generator().output(input, false), restored.gan().generator().output(input, false));
    }

    @Test
    void aResumedRunTakesExactlyTheStepsOfAnUninterruptedOne() throws IOException {
        TrainerConfig config = TestSupport.smallModelConfig();
        ChipBatches batches = realBatches(config);
        GanTrainer uninterrupted = GanTrainer.create(config, LABELS);
        for (int step = 0; step < 4; step++) {
            uninterrupted.trainStep(batches.batch(step), step);
        }

        GanTrainer beforeCrash = GanTrainer.create(config, LABELS);
        beforeCrash.trainStep(batches.batch(0), 0);
        beforeCrash.trainStep(batches.batch(1), 1);
        SavedTraining.save(stateDir, beforeCrash, 2, 0, config.seed(), SPLIT);
        SavedTraining.Restored resumed = SavedTraining.restore(stateDir, config, LABELS, SPLIT).orElseThrow();
        for (long step = resumed.step(); step < 4; step++) {
            resumed.gan().trainStep(batches.batch(step), step);
        }

        assertEquals(uninterrupted.generator().params(), resumed.gan().generator().params());
        assertEquals(uninterrupted.discriminator().params(), resumed.gan().discriminator().params());
    }

    @Test
    void aLaterSaveReplacesTheEarlierPair() throws IOException {
        TrainerConfig config = TestSupport.smallModelConfig();
        GanTrainer gan = GanTrainer.create(config, LABELS);

        SavedTraining.save(stateDir, gan, 200, 7, config.seed(), SPLIT);
        SavedTraining.save(stateDir, gan, 400, 15, config.seed(), SPLIT);

        try (Stream<Path> files = Files.list(stateDir)) {
            assertEquals(List.of("discriminator-400.zip", "generator-400.zip", "saved-training.json"),
                    files.map(file -> file.getFileName().toString()).sorted().toList());
        }
        assertEquals(400, SavedTraining.restore(stateDir, config, LABELS, SPLIT).orElseThrow().step());
    }

    @Test
    void savedNetworksOfAnotherShapeAreNotRestored() throws IOException {
        TrainerConfig config = TestSupport.smallModelConfig();
        SavedTraining.save(stateDir, GanTrainer.create(config, LABELS), 10, 0, config.seed(), SPLIT);
        TrainerConfig wider = TestSupport.trainerConfig(Map.of(
                "generator-filters", "16",
                "discriminator-filters", "8",
                "batch-size", "8"));

        assertEquals(Optional.empty(), SavedTraining.restore(stateDir, wider, LABELS, SPLIT));
        assertEquals(Optional.empty(), SavedTraining.restore(stateDir, config, 1, SPLIT), "other labels");
    }

    @Test
    void aTrainingSavedWithAnotherSplitIsNotResumed() throws IOException {
        TrainerConfig config = TestSupport.smallModelConfig();
        SavedTraining.save(stateDir, GanTrainer.create(config, LABELS), 10, 0, config.seed(), SPLIT);

        assertEquals(Optional.empty(), SavedTraining.restore(stateDir, config, LABELS, "split-b"));
        assertTrue(SavedTraining.restore(stateDir, config, LABELS, SPLIT).isPresent());
    }

    @Test
    void anEmptyStateFolderHasNothingToRestore() {
        assertTrue(SavedTraining.restore(stateDir, TestSupport.smallModelConfig(), LABELS, SPLIT).isEmpty());
    }

    private static ChipBatches realBatches(TrainerConfig config) {
        ChipSet chips = ShipsNetLoader.load(TestSupport.shipsnetFolder(), TestSupport.heldoutScenesFile(),
                EnumSet.allOf(ChipLabel.class), 8);
        return new ChipBatches(chips.train(), List.of(ChipLabel.SHIP, ChipLabel.NO_SHIP), config.batchSize(),
                config.seed());
    }
}
