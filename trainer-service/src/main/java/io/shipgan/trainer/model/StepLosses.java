package io.shipgan.trainer.model;

/**
 * The losses of one training step, as the PyTorch DCGAN example reports them.
 *
 * With an auxiliary classifier each network's loss also holds its weighted label cross-entropy: the
 * discriminator's on the real chips, the generator's on its images.
 *
 * @param generator          generator loss: cross-entropy of D(G(z)) against "real"
 * @param discriminator      discriminator loss: its loss on real chips plus its loss on generated images
 * @param realProbability    D(x): mean probability of "real" the discriminator gave real chips
 * @param fakeProbability    D(G(z)): mean probability of "real" it gave generated images, before its update
 * @param realLabelAccuracy  fraction of real chips whose label the auxiliary classifier named; NaN without one
 * @param fakeLabelAccuracy  fraction of generated images whose label it named, after its update; NaN without one
 */
public record StepLosses(double generator, double discriminator, double realProbability, double fakeProbability,
                         double realLabelAccuracy, double fakeLabelAccuracy) {

    public boolean finite() {
        return Double.isFinite(generator) && Double.isFinite(discriminator);
    }
}
