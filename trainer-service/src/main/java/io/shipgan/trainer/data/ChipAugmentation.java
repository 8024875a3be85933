package io.shipgan.trainer.data;


/**
 * The eight flips and quarter turns of a square chip. Ships point every way in the scenes, so every one of them is
 * as real as the original, and the generator sees eight times as many distinct real chips.
 */
public final class ChipAugmentation {

    /** Number of distinct transforms: four quarter turns, each with and without a mirror. */
    public static final int TRANSFORMS = 8;

    private ChipAugmentation() {
    }

    /**
     * The chip turned clockwise by {@code transform % 4} quarter turns, mirrored left-right first when
     * {@code transform >= 4}; transform 0 is the chip itself.
     */
    public static float[] transform(float[] chw, int transform) {
        int size = Chip.SIZE;
        int plane = size * size;
        int quarterTurns = transform % 4;
        boolean mirror = transform >= 4;
        float[] out = new float[chw.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int sx = mirror ? size - 1 - x : x;
                int sourceRow;
                int sourceColumn;
                switch (quarterTurns) {
                    case 0 -> {
                        sourceRow = y;
                        sourceColumn = sx;
                    }
                    case 1 -> {
                        sourceRow = size - 1 - sx;
                        sourceColumn = y;
                    }
                    case 2 -> {
                        sourceRow = size - 1 - y;
                        sourceColumn = size - 1 - sx;
                    }
                    default -> {
                        sourceRow = sx;
                        sourceColumn = size - 1 - y;
                    }
                }
                for (int c = 0; c < Chip.CHANNELS; c++) {
                    out[c * plane + y * size + x] = chw[c * plane + sourceRow * size + sourceColumn];
                }
            }
        }
        return out;
    }
}
