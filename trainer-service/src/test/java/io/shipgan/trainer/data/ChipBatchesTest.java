package io.shipgan.trainer.data;

import io.shipgan.trainer.TestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChipBatchesTest {

    private static final List<ChipLabel> LABELS = List.of(ChipLabel.SHIP, ChipLabel.NO_SHIP);

    private static ChipSet chips;

    @BeforeAll
    static void load() {
        // 6 ship and 6 no-ship training chips.
        chips = ShipsNetLoader.load(TestSupport.shipsnetFolder(), TestSupport.heldoutScenesFile(),
                EnumSet.allOf(ChipLabel.class), 6);
    }

    @Test
    void batchesAreClassBalancedWithLabelIndicesInModelOrder() {
        TrainingBatch batch = new ChipBatches(chips.train(), LABELS, 8, 42).batch(0);

        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1, 0, 1}, batch.labels());
        assertArrayEquals(new long[] {8, 3, 80, 80}, batch.images().shape());
        assertTrue(batch.images().amaxNumber().doubleValue() <= 1.0, "pixels stay in [-1, 1]");
    }

    @Test
    void aBatchIsAPureFunctionOfSeedAndStep() {
        ChipBatches first = new ChipBatches(chips.train(), LABELS, 8, 42);
        ChipBatches second = new ChipBatches(chips.train(), LABELS, 8, 42);

        // Asked out of order: no state carries over from one batch to the next.
        TrainingBatch late = first.batch(9);
        first.batch(2);

        assertEquals(late.images(), second.batch(9).images());
        assertNotEquals(late.images(), second.batch(10).images());
        assertNotEquals(late.images(), new ChipBatches(chips.train(), LABELS, 8, 43).batch(9).images());
    }

    @Test
    void epochsCountPassesOverAllTrainingChips() {
        ChipBatches batches = new ChipBatches(chips.train(), LABELS, 8, 42);

        assertEquals(0, batches.epochAfter(1));
        assertEquals(2, batches.epochAfter(3), "3 batches of 8 are 2 passes over 12 chips");
        assertEquals(4, batches.epochAfter(6));
    }

    @Test
    void aLabelWithoutChipsIsRefused() {
        List<Chip> shipsOnly = chips.train().stream().filter(chip -> chip.label() == ChipLabel.SHIP).toList();

        assertThrows(IllegalArgumentException.class, () -> new ChipBatches(shipsOnly, LABELS, 8, 42));
    }
}
