package io.shipgan.generator.imaging;

import io.shipgan.generator.sampling.ModelInterface;
import io.shipgan.generator.sampling.Samples;
import io.shipgan.generator.testing.NpyFile;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyEncoderTest {

    @Test
    void writesAVersion1HeaderNumpyCanRead() {
        Samples samples = samples(2);

        NpyFile npy = NpyFile.parse(NpyEncoder.encodeNpy(samples));

        assertEquals(1, npy.major());
        assertEquals(0, npy.minor());
        assertTrue(npy.header().startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 80, 80), }"),
                npy.header());
        assertTrue(npy.header().endsWith("\n"));
        assertEquals(0, npy.dataOffset() % 64, "data starts 64-byte aligned");
        assertEquals(List.of(2, 3, 80, 80), npy.shape());
    }

    @Test
    void carriesTheValuesUnchangedAndLittleEndian() {
        Samples samples = samples(3);
        samples.values()[0] = -1f;
        samples.values()[1] = 0.123456789f;
        samples.values()[samples.values().length - 1] = 1f;

        byte[] bytes = NpyEncoder.encodeNpy(samples);
        NpyFile npy = NpyFile.parse(bytes);

        assertArrayEquals(samples.values(), npy.values());
        // -1.0f is 0xBF800000: little-endian puts 00 00 80 BF first.
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, (byte) 0xBF},
                Arrays.copyOfRange(bytes, npy.dataOffset(), npy.dataOffset() + 4));
        assertEquals(npy.dataOffset() + 3 * 3 * 80 * 80 * 4, bytes.length);
    }

    @Test
    void padsEveryShapeToTheAlignment() {
        for (int count : new int[] {1, 9, 10, 64}) {
            NpyFile npy = NpyFile.parse(NpyEncoder.encodeNpy(samples(count)));
            assertEquals(0, npy.dataOffset() % 64, "count " + count);
            assertEquals(List.of(count, 3, 80, 80), npy.shape());
        }
    }

    private static Samples samples(int count) {
        ModelInterface shape = new ModelInterface("latent", "image", 100, 0, List.of(3, 80, 80));
        float[] values = new float[count * shape.valuesPerSample()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i * 0.001);
        }
        return new Samples(4, shape, count, values);
    }
}
