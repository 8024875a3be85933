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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SavedTrainingTest {

    @TempDir
    Path stateDir;

    @Test
    void restoredNetworksGenerateAndTrainExactlyAsTheSavedOnes() throws IOException {
        TrainerConfig config = TestSupport.smallModelConfig();
        Nd4j.getRandom().setSeed(config.seed());
        GanTrainer gan = GanTrainer.create(config);
        Iterator<INDArray> batches = realBatches(config);
        gan.trainStep(batches.next());
        gan.trainStep(batches.next());

        SavedTraining.save(stateDir, gan, 2, 1);
        SavedTraining.Restored restored = SavedTraining.restore(stateDir, config).orElseThrow();

        assertEquals(2, restored.step());
        assertEquals(1, restored.epoch());
        assertEquals(gan.generator().params(), restored.gan().generator().params());
        assertEquals(gan.discriminator().params(), restored.gan().discriminator().params());
        assertEquals(gan.generator().getUpdater().getStateViewArray(),
                restored.gan().generator().getUpdater().getStateViewArray(), "Adam state is kept");
        assertEquals(2, restored.gan().generator().getIterationCount());
        INDArray latent = Nd4j.randn(DataType.FLOAT, 2, 100);
        assertEquals(gan.generator().output(latent, false), restored.gan().generator().output(latent, false));
    }

    @Test
    void aLaterSaveReplacesTheEarlierPair() throws IOException {
        TrainerConfig config = TestSupport.smallModelConfig();
        GanTrainer gan = GanTrainer.create(config);

        SavedTraining.save(stateDir, gan, 200, 7);
        SavedTraining.save(stateDir, gan, 400, 15);

        try (Stream<Path> files = Files.list(stateDir)) {
            assertEquals(List.of("discriminator-400.zip", "generator-400.zip", "saved-training.json"),
                    files.map(file -> file.getFileName().toString()).sorted().toList());
        }
        assertEquals(400, SavedTraining.restore(stateDir, config).orElseThrow().step());
    }

    @Test
    void savedNetworksOfAnotherShapeAreNotRestored() throws IOException {
        SavedTraining.save(stateDir, GanTrainer.create(TestSupport.smallModelConfig()), 10, 0);
        TrainerConfig wider = TestSupport.trainerConfig(Map.of(
                "generator-filters", "16",
                "discriminator-filters", "8",
                "batch-size", "8"));

        assertEquals(Optional.empty(), SavedTraining.restore(stateDir, wider));
    }

    @Test
    void anEmptyStateFolderHasNothingToRestore() {
        assertTrue(SavedTraining.restore(stateDir, TestSupport.smallModelConfig()).isEmpty());
    }

    private static Iterator<INDArray> realBatches(TrainerConfig config) {
        ChipSet chips = ShipsNetLoader.load(TestSupport.shipsnetFolder(), TestSupport.heldoutScenesFile(),
                EnumSet.of(ChipLabel.SHIP), 16);
        return new ChipBatches(chips.train(), config.batchSize(), new Random(config.seed())).nextEpoch();
    }
}
