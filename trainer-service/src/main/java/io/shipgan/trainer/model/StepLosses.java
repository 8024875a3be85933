package io.shipgan.trainer.model;

/**
 * The losses of one training step, as the PyTorch DCGAN example reports them.
 *
 * @param generator          generator loss: cross-entropy of D(G(z)) against "real"
 * @param discriminator      discriminator loss: its loss on real chips plus its loss on generated images
 * @param realProbability    D(x): mean probability of "real" the discriminator gave real chips
 * @param fakeProbability    D(G(z)): mean probability of "real" it gave generated images, before its update
 */
public record StepLosses(double generator, double discriminator, double realProbability, double fakeProbability) {

    public boolean finite() {
        return Double.isFinite(generator) && Double.isFinite(discriminator);
    }
}
