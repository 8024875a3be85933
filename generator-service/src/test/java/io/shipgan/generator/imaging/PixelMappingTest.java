package io.shipgan.generator.imaging;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PixelMappingTest {

    @Test
    void mapsEndsAndMiddleOfTheRange() {
        assertEquals(0, PixelMapping.toLevel(-1f));
        assertEquals(128, PixelMapping.toLevel(0f), "127.5 rounds half up");
        assertEquals(255, PixelMapping.toLevel(1f));
    }

    @Test
    void roundsToTheNearestLevel() {
        // (0.5 + 1) * 127.5 = 191.25 and (-0.5 + 1) * 127.5 = 63.75
        assertEquals(191, PixelMapping.toLevel(0.5f));
        assertEquals(64, PixelMapping.toLevel(-0.5f));
    }

    @Test
    void clampsValuesOutsideTheRange() {
        assertEquals(255, PixelMapping.toLevel(1.5f));
        assertEquals(255, PixelMapping.toLevel(Float.POSITIVE_INFINITY));
        assertEquals(0, PixelMapping.toLevel(-3f));
        assertEquals(0, PixelMapping.toLevel(Float.NEGATIVE_INFINITY));
    }

    @Test
    void mapsNanToBlack() {
        assertEquals(0, PixelMapping.toLevel(Float.NaN));
    }
}
