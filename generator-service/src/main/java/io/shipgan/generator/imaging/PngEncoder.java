package io.shipgan.generator.imaging;

import io.shipgan.generator.sampling.ModelInterface;
import io.shipgan.generator.sampling.Samples;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Generator output to PNG: one sample as one image, several as a grid of tiles. The PNG carries no gamma or
 * colour-space chunks, so viewers show the levels as they are.
 */
public final class PngEncoder {

    /** Colour of the gaps between tiles and of the unused cells in the last row. */
    static final int GAP_RGB = 0x101010;

    static {
        // Without this ImageIO buffers every in-memory PNG through a temporary file on disk.
        ImageIO.setUseCache(false);
    }

    private PngEncoder() {
    }

    /** Encodes all samples: a single image for one sample, a grid for more. */
    public static byte[] encodePng(Samples samples) {
        return writePng(renderImage(samples));
    }

    /** Encodes all samples side by side in one row, in order: an interpolation strip. */
    public static byte[] encodeStripPng(Samples samples) {
        ModelInterface shape = samples.modelInterface();
        return writePng(renderImage(samples, ImageGrid.strip(samples.count(), shape.width(), shape.height())));
    }

    /** Draws the samples into an RGB image laid out as a grid by {@link ImageGrid#forCount}. */
    public static BufferedImage renderImage(Samples samples) {
        ModelInterface shape = samples.modelInterface();
        return renderImage(samples, ImageGrid.forCount(samples.count(), shape.width(), shape.height()));
    }

    /** Draws the samples into an RGB image with the given layout. */
    public static BufferedImage renderImage(Samples samples, ImageGrid grid) {
        ModelInterface shape = samples.modelInterface();
        if (shape.channels() != 3) {
            throw new IllegalArgumentException("RGB images need 3 channels, the model gives " + shape.channels());
        }
        BufferedImage image = new BufferedImage(grid.width(), grid.height(), BufferedImage.TYPE_INT_RGB);
        fillBackground(image);
        for (int i = 0; i < samples.count(); i++) {
            drawTile(image, samples.values(), i * shape.valuesPerSample(), shape, grid.tileX(i), grid.tileY(i));
        }
        return image;
    }

    /** Writes one CHW sample starting at {@code offset} with its top-left corner at (x0, y0). */
    private static void drawTile(BufferedImage image, float[] values, int offset, ModelInterface shape,
                                 int x0, int y0) {
        int plane = shape.height() * shape.width();
        int[] row = new int[shape.width()];
        for (int y = 0; y < shape.height(); y++) {
            for (int x = 0; x < shape.width(); x++) {
                int pixel = offset + y * shape.width() + x;
                int red = PixelMapping.toLevel(values[pixel]);
                int green = PixelMapping.toLevel(values[pixel + plane]);
                int blue = PixelMapping.toLevel(values[pixel + 2 * plane]);
                row[x] = (red << 16) | (green << 8) | blue;
            }
            image.setRGB(x0, y0 + y, shape.width(), 1, row, 0, shape.width());
        }
    }

    private static void fillBackground(BufferedImage image) {
        int[] row = new int[image.getWidth()];
        Arrays.fill(row, GAP_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            image.setRGB(0, y, image.getWidth(), 1, row, 0, image.getWidth());
        }
    }

    static byte[] writePng(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() * 2);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("this Java runtime has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG to memory failed", e);
        }
        return out.toByteArray();
    }
}
