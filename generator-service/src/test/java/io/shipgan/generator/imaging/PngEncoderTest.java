package io.shipgan.generator.imaging;

import io.shipgan.generator.sampling.ModelInterface;
import io.shipgan.generator.sampling.Samples;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PngEncoderTest {

    private static final ModelInterface RGB_80 = new ModelInterface("latent", "image", 100, 0, List.of(3, 80, 80));
    private static final int PLANE = 80 * 80;

    @Test
    void encodesOneSampleAsAn80By80RgbPng() throws IOException {
        float[] values = new float[3 * PLANE];
        // Pixel (x=3, y=2): red -1, green 0, blue 1.
        int pixel = 2 * 80 + 3;
        values[pixel] = -1f;
        values[PLANE + pixel] = 0f;
        values[2 * PLANE + pixel] = 1f;
        // Pixel (x=0, y=0) out of range on every channel.
        values[0] = 7f;
        values[PLANE] = -7f;
        values[2 * PLANE] = Float.NaN;

        BufferedImage decoded = decode(PngEncoder.encodePng(new Samples(1, RGB_80, 1, values)));

        assertEquals(80, decoded.getWidth());
        assertEquals(80, decoded.getHeight());
        assertEquals(3, decoded.getColorModel().getNumComponents(), "RGB without alpha");
        assertEquals(0x0080FF, decoded.getRGB(3, 2) & 0xFFFFFF);
        assertEquals(0xFF0000, decoded.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x808080, decoded.getRGB(79, 79) & 0xFFFFFF, "value 0 is level 128");
    }

    @Test
    void writesNoGammaOrColourSpaceChunks() {
        byte[] png = PngEncoder.encodePng(new Samples(1, RGB_80, 1, new float[3 * PLANE]));
        List<String> chunks = chunkTypes(png);
        assertEquals("IHDR", chunks.get(0));
        assertEquals("IEND", chunks.get(chunks.size() - 1));
        assertEquals(List.of(), chunks.stream().filter(c -> List.of("gAMA", "sRGB", "cHRM", "iCCP").contains(c))
                .toList());
    }

    @Test
    void laysSeveralSamplesOutAsAGridWithDarkGaps() throws IOException {
        float[] values = new float[3 * 3 * PLANE];
        // Sample 0 white, sample 1 black, sample 2 mid grey.
        Arrays.fill(values, 0, 3 * PLANE, 1f);
        Arrays.fill(values, 3 * PLANE, 6 * PLANE, -1f);

        BufferedImage decoded = decode(PngEncoder.encodePng(new Samples(1, RGB_80, 3, values)));

        assertEquals(162, decoded.getWidth());
        assertEquals(162, decoded.getHeight());
        assertEquals(0xFFFFFF, decoded.getRGB(79, 79) & 0xFFFFFF, "sample 0, top left");
        assertEquals(PngEncoder.GAP_RGB, decoded.getRGB(80, 10) & 0xFFFFFF, "gap between columns");
        assertEquals(PngEncoder.GAP_RGB, decoded.getRGB(10, 81) & 0xFFFFFF, "gap between rows");
        assertEquals(0x000000, decoded.getRGB(82, 0) & 0xFFFFFF, "sample 1, top right");
        assertEquals(0x808080, decoded.getRGB(0, 82) & 0xFFFFFF, "sample 2, bottom left");
        assertEquals(PngEncoder.GAP_RGB, decoded.getRGB(120, 120) & 0xFFFFFF, "unused cell");
    }

    @Test
    void sameSamplesGiveTheSameBytes() {
        float[] values = new float[3 * PLANE];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i * 0.01);
        }
        byte[] first = PngEncoder.encodePng(new Samples(1, RGB_80, 1, values));
        byte[] second = PngEncoder.encodePng(new Samples(1, RGB_80, 1, values.clone()));
        assertArrayEquals(first, second);
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    /** The chunk types in file order, read from the PNG structure itself. */
    private static List<String> chunkTypes(byte[] png) {
        List<String> types = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(png);
        buffer.position(8);
        while (buffer.remaining() >= 12) {
            int length = buffer.getInt();
            byte[] type = new byte[4];
            buffer.get(type);
            types.add(new String(type, StandardCharsets.US_ASCII));
            buffer.position(buffer.position() + length + 4);
        }
        return types;
    }
}
