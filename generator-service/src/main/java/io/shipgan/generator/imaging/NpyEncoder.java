package io.shipgan.generator.imaging;

import io.shipgan.generator.sampling.Samples;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Generator output as a NumPy {@code .npy} file (format 1.0): the raw float32 values, shape
 * [N, channels, height, width], little-endian, C order, exactly as the generator gave them (no clamping or
 * rounding), so that {@code numpy.load} gives what the model computed.
 */
public final class NpyEncoder {

    /** The media type answered for {@code .npy} output. */
    public static final String MEDIA_TYPE = "application/x-npy";

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Magic, two version bytes and the two-byte header length come before the header text. */
    private static final int PREAMBLE = MAGIC.length + 4;
    /** NumPy aligns the data to 64 bytes, so that it can be memory-mapped. */
    private static final int ALIGNMENT = 64;

    private NpyEncoder() {
    }

    /** The samples as one {@code .npy} file. */
    public static byte[] encodeNpy(Samples samples) {
        List<Integer> sampleShape = samples.modelInterface().sampleShape();
        byte[] header = header(samples.count(), sampleShape);
        ByteBuffer out = ByteBuffer.allocate(PREAMBLE + header.length + samples.values().length * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header);
        out.asFloatBuffer().put(samples.values());
        return out.array();
    }

    /** The header dict, padded with spaces and ended by a newline so that the data starts 64-byte aligned. */
    static byte[] header(int count, List<Integer> sampleShape) {
        String shape = count + ", " + sampleShape.stream().map(String::valueOf).collect(Collectors.joining(", "));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
        int unpadded = PREAMBLE + dict.length() + 1;
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        return (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
