package io.shipgan.trainer.data;

/**
 * One ShipsNet chip ready for the networks: its class, the scene and place it was cut from, and its pixels as
 * {@code float[3 * 80 * 80]} in channel-height-width order (all red, then all green, then all blue), in [-1, 1].
 */
public record Chip(ChipLabel label, String sceneId, double longitude, double latitude, float[] pixels) {

    /** Width and height of every chip, in pixels. */
    public static final int SIZE = 80;

    /** Colour channels of every chip: red, green, blue. */
    public static final int CHANNELS = 3;

    /** Number of values in one chip. */
    public static final int VALUES = CHANNELS * SIZE * SIZE;

    public Chip {
        if (pixels.length != VALUES) {
            throw new IllegalArgumentException("a chip has " + VALUES + " values, got " + pixels.length);
        }
    }

    /**
     * Builds a chip from 8-bit values in planar order (all red, all green, all blue, each row-major), the layout
     * of ShipsNet's JSON form; both readers end here so that they scale pixels the same way.
     */
    public static Chip fromPlanarRgb(ChipLabel label, String sceneId, double longitude, double latitude, int[] rgb) {
        if (rgb.length != VALUES) {
            throw new IllegalArgumentException("a chip has " + VALUES + " values, got " + rgb.length);
        }
        float[] pixels = new float[VALUES];
        for (int i = 0; i < VALUES; i++) {
            int value = rgb[i];
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("pixel value " + value + " at " + i + " is outside 0..255");
            }
            pixels[i] = value / 127.5f - 1f;
        }
        return new Chip(label, sceneId, longitude, latitude, pixels);
    }
}
