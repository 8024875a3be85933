package io.shipgan.trainer.model;

import io.shipgan.trainer.data.Chip;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Differentiable augmentation of the discriminator's input (Zhao et al., "Differentiable Augmentation for
 * Data-Efficient GAN Training", 2020): real and generated images alike are translated and get a square cut out
 * before the discriminator sees them, so that it cannot memorise the few real chips, and the generator's gradient
 * flows back through the same transform. Only geometric, colour-preserving transforms: the colours of sea and land
 * are what the generator must learn.
 *
 * <p>Each transform here is linear with a 0/1 matrix, so its backward pass is its adjoint: {@link #backward}
 * moves each gradient value back to the pixel it came from and drops those of cut-out or shifted-in pixels.
 */
public final class DiffAugment {

    private final int maxShift;
    private final int cutoutSize;

    /**
     * @param translation largest shift as a fraction of the chip side (DiffAugment: 1/8)
     * @param cutout      side of the cut-out square as a fraction of the chip side (DiffAugment: 1/2); 0 for none
     */
    public DiffAugment(double translation, double cutout) {
        if (translation < 0 || translation >= 1 || cutout < 0 || cutout >= 1) {
            throw new IllegalArgumentException("translation and cutout are fractions in [0, 1), got " + translation
                    + " and " + cutout);
        }
        this.maxShift = (int) Math.round(translation * Chip.SIZE);
        this.cutoutSize = (int) Math.round(cutout * Chip.SIZE);
    }

    public boolean enabled() {
        return maxShift > 0 || cutoutSize > 0;
    }

    /** One drawn transform per image of a batch. */
    public Transforms draw(int images, SplittableRandom random) {
        int[] shiftY = new int[images];
        int[] shiftX = new int[images];
        int[] cutY = new int[images];
        int[] cutX = new int[images];
        for (int i = 0; i < images; i++) {
            shiftY[i] = maxShift == 0 ? 0 : random.nextInt(-maxShift, maxShift + 1);
            shiftX[i] = maxShift == 0 ? 0 : random.nextInt(-maxShift, maxShift + 1);
            // The square's centre anywhere on the chip; it is clipped at the edges, as in DiffAugment.
            cutY[i] = random.nextInt(Chip.SIZE) - cutoutSize / 2;
            cutX[i] = random.nextInt(Chip.SIZE) - cutoutSize / 2;
        }
        return new Transforms(shiftY, shiftX, cutY, cutX, cutoutSize);
    }

    /**
     * The transforms of one batch: image i is shifted by (shiftY[i], shiftX[i]) with zeros shifted in, then the
     * square of side {@code cutoutSize} at (cutY[i], cutX[i]) is set to zero.
     */
    public record Transforms(int[] shiftY, int[] shiftX, int[] cutY, int[] cutX, int cutoutSize) {

        /** The augmented images, {@code [N, C, 80, 80]} in and out. */
        public INDArray forward(INDArray images) {
            return apply(images, false);
        }

        /** The gradient with respect to the images before augmentation, from the one after it. */
        public INDArray backward(INDArray gradient) {
            return apply(gradient, true);
        }

        private INDArray apply(INDArray batch, boolean adjoint) {
            long[] shape = batch.shape();
            int images = (int) shape[0];
            int channels = (int) shape[1];
            int size = Chip.SIZE;
            int plane = size * size;
            float[] in = batch.castTo(DataType.FLOAT).dup('c').data().asFloat();
            float[] out = new float[in.length];
            for (int i = 0; i < images; i++) {
                for (int y = 0; y < size; y++) {
                    int sourceY = y - shiftY[i];
                    if (sourceY < 0 || sourceY >= size) {
                        continue;
                    }
                    boolean cutRow = y >= cutY[i] && y < cutY[i] + cutoutSize;
                    for (int x = 0; x < size; x++) {
                        int sourceX = x - shiftX[i];
                        if (sourceX < 0 || sourceX >= size || cutRow && x >= cutX[i] && x < cutX[i] + cutoutSize) {
                            continue;
                        }
                        for (int c = 0; c < channels; c++) {
                            int base = (i * channels + c) * plane;
                            // forward: out[y, x] = in[y - dy, x - dx]; adjoint: the same pairs, the other way.
                            if (adjoint) {
                                out[base + sourceY * size + sourceX] = in[base + y * size + x];
                            } else {
                                out[base + y * size + x] = in[base + sourceY * size + sourceX];
                            }
                        }
                    }
                }
            }
            return Nd4j.create(out, shape, 'c');
        }
    }
}
