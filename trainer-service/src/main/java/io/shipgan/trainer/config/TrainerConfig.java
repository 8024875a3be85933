package io.shipgan.trainer.config;

import io.shipgan.trainer.model.Dcgan;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every knob of the trainer: where the chips are, how the DCGAN is shaped and trained, where checkpoints go. */
@ConfigMapping(prefix = "shipgan.trainer")
public interface TrainerConfig {

    /** A folder of ShipsNet PNG chips, or a {@code shipsnet.json} file holding the same chips. */
    @WithDefault("../shared/data/shipsnet")
    Path dataPath();

    /** Text file with one scene id per line: chips of these scenes are held out and never trained on. */
    @WithDefault("../shared/data/heldout-scenes.txt")
    Path heldoutScenes();

    /**
     * Classes the conditional GAN learns: {@code ship}, {@code no-ship}, or both. Each becomes one value of the
     * exported model's label input, {@code ship} first.
     */
    @WithDefault("ship,no-ship")
    List<String> trainLabels();

    /** Name of the model: the key of every checkpoint record. */
    @WithDefault("shipgan-dcgan")
    String modelName();

    /** Kafka topic the checkpoints are published to. */
    @WithDefault("shipgan.checkpoints")
    String checkpointTopic();

    /** Seed of weight initialisation, shuffling, augmentation and latents: same seed, same run. */
    @WithDefault("42")
    long seed();

    /** Real chips (and as many generated ones) per training step. */
    @WithDefault("32")
    int batchSize();

    /** Length of the latent vector the generator maps to an image. */
    @WithDefault("100")
    int latentSize();

    /**
     * Generator width: its 5x5, 10x10, 20x20 and 40x40 feature maps have 4x, 2x, 1x and 1/2x this many
     * channels (64: 256/128/64/32).
     */
    @WithDefault("64")
    int generatorFilters();

    /**
     * Discriminator width: its 40x40, 20x20, 10x10 and 5x5 feature maps have 1/2x, 1x, 2x and 4x this many
     * channels (64: 32/64/128/256).
     */
    @WithDefault("64")
    int discriminatorFilters();

    /**
     * How the generator doubles its feature maps: {@code transposed} (stride-2 transposed convolutions, classic
     * DCGAN) or {@code resize-conv} (nearest-neighbour resize, then a 3x3 convolution: no checkerboard by
     * construction, but 2.1x slower per step in DL4J here, whose 3x3 convolutions at 40x40 and 80x80 dominate).
     */
    @WithDefault("transposed")
    Dcgan.Upsampling upsampling();

    /**
     * How the discriminator learns the label: {@code auxiliary-classifier} (AC-GAN, Odena et al. 2017: it sees
     * the image alone and, besides real/fake, names its label; the generator is also trained to make its label
     * named) or {@code input-planes} (one constant plane per label appended to its input, and real/fake alone).
     */
    @WithDefault("auxiliary-classifier")
    Dcgan.Conditioning conditioning();

    /**
     * Weight of the auxiliary classifier's cross-entropy next to the real/fake loss, in both networks' losses;
     * used with {@code conditioning=auxiliary-classifier}.
     */
    @WithDefault("1.0")
    double auxiliaryWeight();

    /** Differentiable augmentation of every image the discriminator sees, real or generated. */
    Augment augment();

    /** The ship/no-ship classifier that scores every checkpoint. */
    Classifier classifier();

    /** How each checkpoint is scored. */
    Scores scores();

    /** Signing of every checkpoint record, so that generators can tell the trainer's checkpoints from any other. */
    Signing signing();

    /** Adam learning rate of both networks. */
    @WithDefault("2e-4")
    double learningRate();

    /** Adam beta1 of both networks; DCGAN's 0.5 keeps the momentum short. */
    @WithDefault("0.5")
    double beta1();

    /** Target of the discriminator for real chips: below 1 (one-sided label smoothing) keeps it from saturating. */
    @WithDefault("0.9")
    double realLabel();

    /** Export and publish a checkpoint every this many training steps. */
    @WithDefault("200")
    int checkpointEvery();

    /** Log the losses and throughput every this many training steps. */
    @WithDefault("10")
    int logEvery();

    /** Stop after this many training steps (the run ends with a checkpoint); 0 trains until stopped. */
    @WithDefault("0")
    long maxSteps();

    /** Start training as soon as the service is up; otherwise wait for {@code POST /api/v1/training/start}. */
    @WithDefault("true")
    boolean autostart();

    /**
     * On start, continue from the networks saved in the state folder at the last checkpoint (when their shapes
     * match this configuration); otherwise start from fresh networks.
     */
    @WithDefault("true")
    boolean resume();

    /** Folder for exported ONNX files, sample grids, saved networks and the last version, kept across restarts. */
    @WithDefault(".run/trainer")
    Path stateDir();

    /** Keep at most this many chips of each split (for quick tests); 0 keeps all. */
    @WithDefault("0")
    int maxChips();

    /** How long one attempt waits for the broker to acknowledge a checkpoint before it is tried again later. */
    @WithDefault("30s")
    Duration publishTimeout();

    /** The pause after a failed publish; it doubles after each failure up to {@link #publishRetryMax()}. */
    @WithDefault("1s")
    Duration publishRetry();

    /** The longest pause between two attempts to publish while the broker is away. */
    @WithDefault("15s")
    Duration publishRetryMax();

    /** How long to look for the last published version on the topic at start before relying on the state file. */
    @WithDefault("10s")
    Duration versionLookupTimeout();

    /** DiffAugment's geometric policies; colours are never touched. */
    interface Augment {

        /** Largest random shift, as a fraction of the chip side (zeros shift in); 0 turns translation off. */
        @WithDefault("0.125")
        double translation();

        /** Side of a randomly placed square set to zero, as a fraction of the chip side; 0 turns cutout off. */
        @WithDefault("0.5")
        double cutout();
    }

    /** An independent CNN trained on the training scenes' chips, never on held-out ones. */
    interface Classifier {

        /** Passes over the training chips. */
        @WithDefault("6")
        int epochs();

        /** Channels of the first convolution; the three after it have 2x, 4x and 4x. */
        @WithDefault("16")
        int filters();

        /** Length of the feature vector before the output layer, the space the Frechet distance is measured in. */
        @WithDefault("64")
        int features();

        @WithDefault("64")
        int batchSize();

        @WithDefault("1e-3")
        double learningRate();
    }

    interface Scores {

        /** Score each checkpoint (classifier ship-rate and Frechet distances); off skips the classifier too. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Wait for the classifier before the first step, so that every checkpoint is scored; by default training
         * starts at once and checkpoints are scored from the first one after the classifier is ready.
         */
        @WithDefault("false")
        boolean awaitClassifier();

        /** Generated samples per label for each checkpoint's scores, from fixed latents. */
        @WithDefault("500")
        int samples();
    }

    interface Signing {

        /**
         * Ed25519 private key (PKCS#8 PEM, as {@code openssl genpkey -algorithm ed25519} writes it) that signs
         * every checkpoint record; absent, records go out unsigned and generators that hold a trusted key refuse
         * them.
         */
        Optional<Path> privateKeyFile();
    }
}
