package io.shipgan.generator.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code .npy} file read the way {@code numpy.load} reads it, written independently of the encoder under test:
 * magic, version, header dict, then little-endian float32 values.
 *
 * @param major      format major version
 * @param minor      format minor version
 * @param header     the header dict text, padding and newline included
 * @param dataOffset where the values start
 * @param values     the values
 */
public record NpyFile(int major, int minor, String header, int dataOffset, float[] values) {

    public static NpyFile parse(byte[] npy) {
        if (npy.length < 10 || npy[0] != (byte) 0x93
                || !"NUMPY".equals(new String(npy, 1, 5, StandardCharsets.US_ASCII))) {
            throw new AssertionError("not a .npy file: " + Arrays.toString(Arrays.copyOf(npy, Math.min(10,
                    npy.length))));
        }
        ByteBuffer buffer = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Short.toUnsignedInt(buffer.getShort(8));
        String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
        int dataOffset = 10 + headerLength;
        buffer.position(dataOffset);
        float[] values = new float[(npy.length - dataOffset) / Float.BYTES];
        buffer.asFloatBuffer().get(values);
        return new NpyFile(npy[6], npy[7], header, dataOffset, values);
    }

    /** The header's shape tuple, e.g. [2, 3, 80, 80]. */
    public List<Integer> shape() {
        int start = header.indexOf("'shape': (");
        String tuple = header.substring(start + "'shape': (".length(), header.indexOf(')', start));
        return Arrays.stream(tuple.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(Integer::valueOf).toList();
    }
}
