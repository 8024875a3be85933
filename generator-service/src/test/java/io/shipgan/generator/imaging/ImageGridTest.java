package io.shipgan.generator.imaging;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageGridTest {

    @Test
    void oneSampleIsOneTileWithoutGaps() {
        ImageGrid grid = ImageGrid.forCount(1, 80, 80);
        assertEquals(1, grid.columns());
        assertEquals(1, grid.rows());
        assertEquals(80, grid.width());
        assertEquals(80, grid.height());
    }

    @Test
    void twoSamplesSitSideBySide() {
        ImageGrid grid = ImageGrid.forCount(2, 80, 80);
        assertEquals(2, grid.columns());
        assertEquals(1, grid.rows());
        assertEquals(80 + 2 + 80, grid.width());
        assertEquals(80, grid.height());
        assertEquals(82, grid.tileX(1));
        assertEquals(0, grid.tileY(1));
    }

    @Test
    void sixteenSamplesMakeAFourByFourSquare() {
        ImageGrid grid = ImageGrid.forCount(16, 80, 80);
        assertEquals(4, grid.columns());
        assertEquals(4, grid.rows());
        assertEquals(4 * 80 + 3 * 2, grid.width());
        assertEquals(326, grid.height());
        assertEquals(3 * 82, grid.tileX(15));
        assertEquals(3 * 82, grid.tileY(15));
    }

    @Test
    void addsOnlyTheRowsNeeded() {
        ImageGrid five = ImageGrid.forCount(5, 80, 80);
        assertEquals(3, five.columns());
        assertEquals(2, five.rows());
        ImageGrid sixtyFour = ImageGrid.forCount(64, 80, 80);
        assertEquals(8, sixtyFour.columns());
        assertEquals(8, sixtyFour.rows());
    }

    @Test
    void refusesAnEmptyGrid() {
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.forCount(0, 80, 80));
    }
}
