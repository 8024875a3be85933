package io.shipgan.generator.imaging;

/** The generator's value range [-1, 1] to 8-bit channel levels, as fixed by the generator interface. */
public final class PixelMapping {

    private PixelMapping() {
    }

    /**
     * Maps one generator value to a channel level: {@code round((x + 1) * 127.5)}, clamped to [0, 255], so
     * -1 → 0, 0 → 128 (half rounds up), 1 → 255. NaN maps to 0 rather than failing a whole image.
     */
    public static int toLevel(float x) {
        long level = Math.round((x + 1.0) * 127.5);
        if (level < 0 || Float.isNaN(x)) {
            return 0;
        }
        return (int) Math.min(level, 255);
    }
}
