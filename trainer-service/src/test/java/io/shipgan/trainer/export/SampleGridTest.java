package io.shipgan.trainer.export;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SampleGridTest {

    @Test
    void imagesAreTiledInRowsWithPixelsMappedToBytesAsServed() throws IOException {
        INDArray images = Nd4j.zeros(DataType.FLOAT, 3, 3, 80, 80);
        images.get(NDArrayIndex.point(0)).assign(-1);
        images.get(NDArrayIndex.point(1), NDArrayIndex.point(0)).assign(1);
        images.get(NDArrayIndex.point(2), NDArrayIndex.point(2)).assign(2);

        BufferedImage grid = ImageIO.read(new ByteArrayInputStream(SampleGrid.encode(images, 2)));

        assertEquals(160, grid.getWidth());
        assertEquals(160, grid.getHeight());
        assertEquals(0x000000, grid.getRGB(10, 10) & 0xffffff, "first image: all -1 is black");
        assertEquals(0xff8080, grid.getRGB(90, 10) & 0xffffff, "second image: red 1, green and blue 0 -> 128");
        assertEquals(0x8080ff, grid.getRGB(10, 90) & 0xffffff, "third image, second row: blue 2 clamps to 255");
        assertEquals(0x000000, grid.getRGB(90, 90) & 0xffffff, "an empty cell stays black");
    }
}
