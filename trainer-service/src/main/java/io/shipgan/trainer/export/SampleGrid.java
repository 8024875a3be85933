package io.shipgan.trainer.export;

import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A PNG grid of generated images. Drawn from the same fixed latents at every checkpoint, grids of different
 * checkpoints can be compared by eye.
 */
public final class SampleGrid {

    private SampleGrid() {
    }

    /**
     * Writes the images side by side, {@code columns} to a row, with pixels mapped from [-1, 1] to 0..255 by
     * {@code (x + 1) * 127.5}, rounded and clamped, as the generators serve them.
     *
     * @param images {@code [N, 3, H, W]}
     */
    public static void write(Path file, INDArray images, int columns) throws IOException {
        AtomicFiles.write(file, encode(images, columns));
    }

    static byte[] encode(INDArray images, int columns) {
        int count = (int) images.size(0);
        int height = (int) images.size(2);
        int width = (int) images.size(3);
        int rows = (count + columns - 1) / columns;
        float[] values = images.dup('c').data().asFloat();
        BufferedImage grid = new BufferedImage(columns * width, rows * height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int n = 0; n < count; n++) {
            int offset = n * 3 * plane;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int at = offset + y * width + x;
                    int rgb = toByte(values[at]) << 16 | toByte(values[at + plane]) << 8
                            | toByte(values[at + 2 * plane]);
                    grid.setRGB((n % columns) * width + x, (n / columns) * height + y, rgb);
                }
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(grid, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a sample grid", e);
        }
        return png.toByteArray();
    }

    private static int toByte(float value) {
        return (int) Math.max(0, Math.min(255, Math.round((value + 1) * 127.5)));
    }
}
