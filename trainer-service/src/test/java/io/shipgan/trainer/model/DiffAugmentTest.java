package io.shipgan.trainer.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DiffAugmentTest {

    @Test
    void backwardIsTheAdjointOfForward() {
        // <T x, y> = <x, T^T y> for every x, y: what makes the generator's gradient through the augmentation exact.
        DiffAugment augment = new DiffAugment(0.125, 0.5);
        DiffAugment.Transforms transforms = augment.draw(4, new SplittableRandom(5));
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 3, 80, 80);
        INDArray y = Nd4j.randn(DataType.FLOAT, 4, 3, 80, 80);

        double forward = transforms.forward(x).castTo(DataType.DOUBLE).mul(y.castTo(DataType.DOUBLE)).sumNumber()
                .doubleValue();
        double backward = x.castTo(DataType.DOUBLE).mul(transforms.backward(y).castTo(DataType.DOUBLE)).sumNumber()
                .doubleValue();

        assertEquals(forward, backward, 1e-6 * Math.abs(forward) + 1e-6);
    }

    @Test
    void aShiftMovesPixelsAndZerosWhatShiftsIn() {
        DiffAugment.Transforms shiftRightByTwo = new DiffAugment.Transforms(new int[] {0}, new int[] {2},
                new int[] {-100}, new int[] {-100}, 0);
        INDArray image = Nd4j.zeros(DataType.FLOAT, 1, 1, 80, 80);
        image.putScalar(new long[] {0, 0, 10, 10}, 0.7);
        image.putScalar(new long[] {0, 0, 10, 79}, 0.9);

        INDArray shifted = shiftRightByTwo.forward(image);

        assertEquals(0.7, shifted.getDouble(0, 0, 10, 12), 1e-7);
        assertEquals(0.0, shifted.getDouble(0, 0, 10, 10), 1e-7);
        assertEquals(0.0, shifted.getDouble(0, 0, 10, 0), 1e-7, "zeros shift in");
        assertEquals(0.7, shifted.sumNumber().doubleValue(), 1e-6, "the edge pixel shifted out");
    }

    @Test
    void cutoutZerosASquareOfTheGivenSide() {
        DiffAugment.Transforms cutout = new DiffAugment.Transforms(new int[] {0}, new int[] {0}, new int[] {20},
                new int[] {30}, 40);
        INDArray ones = Nd4j.ones(DataType.FLOAT, 1, 3, 80, 80);

        INDArray cut = cutout.forward(ones);

        assertEquals(3 * (6400 - 40 * 40), cut.sumNumber().doubleValue(), 1e-3);
        assertEquals(0.0, cut.getDouble(0, 2, 20, 30), 1e-7);
        assertEquals(1.0, cut.getDouble(0, 2, 19, 30), 1e-7);
    }

    @Test
    void drawnTransformsStayWithinTheConfiguredShift() {
        DiffAugment.Transforms transforms = new DiffAugment(0.125, 0.5).draw(500, new SplittableRandom(2));
        for (int i = 0; i < 500; i++) {
            assertEquals(true, Math.abs(transforms.shiftX()[i]) <= 10 && Math.abs(transforms.shiftY()[i]) <= 10);
        }
        assertEquals(40, transforms.cutoutSize());
        assertArrayEquals(transforms.shiftX(), new DiffAugment(0.125, 0.5).draw(500, new SplittableRandom(2))
                .shiftX(), "same random, same transforms");
        assertThrows(IllegalArgumentException.class, () -> new DiffAugment(1.5, 0));
    }
}
