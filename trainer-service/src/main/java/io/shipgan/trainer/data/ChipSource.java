package io.shipgan.trainer.data;

import java.util.function.Supplier;

/**
 * A chip as a reader lists it, before its pixels are decoded: the name alone decides whether it is trained on,
 * held out or skipped, so a folder reader decodes only the chips that are kept.
 *
 * @param planarRgb decodes the 19200 8-bit values in planar order, see {@link Chip#fromPlanarRgb}
 */
record ChipSource(ChipLabel label, String sceneId, double longitude, double latitude, Supplier<int[]> planarRgb) {

    Chip decode() {
        return Chip.fromPlanarRgb(label, sceneId, longitude, latitude, planarRgb.get());
    }
}
