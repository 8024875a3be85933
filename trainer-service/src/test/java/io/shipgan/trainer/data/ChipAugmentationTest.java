package io.shipgan.trainer.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ChipAugmentationTest {

    @Test
    void quarterTurnMovesTopLeftToTopRight() {
        float[] chip = numbered();
        float[] turned = ChipAugmentation.transform(chip, 1);

        // Clockwise: the top-left pixel lands top-right, the bottom-left one top-left, in every channel.
        assertEquals(chip[0], turned[Chip.SIZE - 1]);
        assertEquals(chip[(Chip.SIZE - 1) * Chip.SIZE], turned[0]);
        int green = Chip.SIZE * Chip.SIZE;
        assertEquals(chip[green], turned[green + Chip.SIZE - 1]);
    }

    @Test
    void fourQuarterTurnsAndTwoMirrorsGiveTheChipBack() {
        float[] chip = numbered();
        float[] turned = chip;
        for (int i = 0; i < 4; i++) {
            turned = ChipAugmentation.transform(turned, 1);
        }
        float[] mirroredTwice = ChipAugmentation.transform(ChipAugmentation.transform(chip, 4), 4);

        assertArrayEquals(chip, turned);
        assertArrayEquals(chip, mirroredTwice);
        assertArrayEquals(chip, ChipAugmentation.transform(chip, 0));
    }

    @Test
    void theEightTransformsAreDistinctPermutationsOfThePixels() {
        float[] chip = numbered();
        float[] sortedChip = chip.clone();
        Arrays.sort(sortedChip);
        Set<String> distinct = new HashSet<>();

        for (int t = 0; t < ChipAugmentation.TRANSFORMS; t++) {
            float[] out = ChipAugmentation.transform(chip, t);
            distinct.add(Arrays.toString(out));
            Arrays.sort(out);
            assertArrayEquals(sortedChip, out);
        }

        assertEquals(ChipAugmentation.TRANSFORMS, distinct.size());
    }

    private static float[] numbered() {
        float[] chip = new float[Chip.VALUES];
        for (int i = 0; i < chip.length; i++) {
            chip[i] = i;
        }
        return chip;
    }
}
