package io.shipgan.trainer.model;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.trainer.data.ChipBatches;
import io.shipgan.trainer.data.ChipLabel;
import io.shipgan.trainer.data.ChipSet;
import io.shipgan.trainer.data.ShipsNetLoader;
import io.shipgan.trainer.export.SampleGrid;
import io.shipgan.trainer.publish.CheckpointProgress;
import io.shipgan.trainer.publish.CheckpointPublisher;
import io.shipgan.trainer.publish.PublishedCheckpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.Random;

/**
 * Runs the training loop in a background thread: chips, networks, then step after step with a checkpoint every
 * {@code checkpoint-every} steps, until stopped, at {@code max-steps}, or at shutdown. Its status is what the
 * status API and the readiness check report.
 */
@ApplicationScoped
public class TrainingService {

    /** How long shutdown waits for the current step (and a publish in flight) to finish. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    /** Fixed latents drawn at every checkpoint for its sample grid, four to a row. */
    private static final int SAMPLES = 16;
    private static final int SAMPLE_COLUMNS = 4;

    /** Weight of the newest step in the running average of the step time. */
    private static final double THROUGHPUT_SMOOTHING = 0.1;

    private final TrainerConfig config;
    private final CheckpointPublisher publisher;

    private volatile TrainingState state = TrainingState.IDLE;
    private volatile boolean stopRequested;
    private volatile Thread worker;
    private volatile int epoch;
    private volatile long step;
    private volatile long stepsThisRun;
    private volatile double secondsPerStep;
    private volatile StepLosses lastLosses;
    private volatile Long latestVersion;
    private volatile int trainChips;
    private volatile int heldoutChips;
    private volatile long generatorParameters;
    private volatile long discriminatorParameters;
    private volatile Instant startedAt;
    private volatile String error;

    @Inject
    public TrainingService(TrainerConfig config, CheckpointPublisher publisher) {
        this.config = config;
        this.publisher = publisher;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.autostart()) {
            // Fail the start itself, with the path in the message, rather than a background thread later.
            ShipsNetLoader.checkPresent(config.dataPath(), config.heldoutScenes());
            start();
        } else {
            Log.info("autostart is off: POST /api/v1/training/start begins training");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
        awaitStopped(STOP_WAIT);
    }

    /** Starts a run in the background. @return false when one is already running */
    public synchronized boolean start() {
        if (running()) {
            return false;
        }
        stopRequested = false;
        error = null;
        epoch = 0;
        step = 0;
        stepsThisRun = 0;
        secondsPerStep = 0;
        lastLosses = null;
        startedAt = Instant.now();
        Thread thread = new Thread(this::runTraining, "shipgan-training");
        // Shutdown waits for it in onStop; a daemon cannot keep a broken run from exiting.
        thread.setDaemon(true);
        worker = thread;
        state = TrainingState.LOADING;
        thread.start();
        return true;
    }

    /** Asks the run to stop after its current step. @return false when none was running */
    public boolean stop() {
        if (!running()) {
            return false;
        }
        stopRequested = true;
        return true;
    }

    /** Waits for the run's thread to end. @return whether it ended in time */
    public boolean awaitStopped(Duration timeout) {
        Thread thread = worker;
        if (thread == null) {
            return true;
        }
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    public boolean running() {
        return state == TrainingState.LOADING || state == TrainingState.TRAINING;
    }

    public TrainingStatus status() {
        StepLosses losses = lastLosses;
        double seconds = secondsPerStep;
        return new TrainingStatus(
                state,
                config.modelName(),
                epoch,
                step,
                seconds > 0 ? config.batchSize() / seconds : 0,
                losses == null ? TrainingStatus.Losses.NONE
                        : new TrainingStatus.Losses(losses.generator(), losses.discriminator()),
                latestVersion,
                config.checkpointEvery(),
                trainChips,
                heldoutChips,
                generatorParameters,
                discriminatorParameters,
                config.seed(),
                startedAt,
                error);
    }

    private void runTraining() {
        try {
            logSettings();
            ChipSet chips = loadChips();
            GanTrainer gan = buildNetworks();
            publisher.prepareVersions();
            train(gan, chips);
            state = TrainingState.STOPPED;
            Log.infof("training stopped at step %d, epoch %d", step, epoch);
        } catch (RuntimeException | Error e) {
            // Recorded rather than rethrown: nobody joins this thread, and the status API must say what happened.
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            state = TrainingState.FAILED;
            Log.errorf(e, "training failed at step %d: %s", step, error);
        }
    }

    /** The loop, in the order of the PyTorch DCGAN example: for each batch, D on real and fake, G, log, save. */
    private void train(GanTrainer gan, ChipSet chips) {
        // TODO(determinism): a resumed run restarts these generators, so its batches and latents differ from
        // those of an uninterrupted run with the same seed.
        Random random = new Random(config.seed());
        Nd4j.getRandom().setSeed(config.seed());
        ChipBatches batches = new ChipBatches(chips.train(), config.batchSize(), random);
        INDArray sampleLatents = fixedLatents();
        state = TrainingState.TRAINING;
        Log.infof("training on %d chips: %d batches of %d per epoch", chips.train().size(),
                batches.batchesPerEpoch(), config.batchSize());

        while (!finished()) {
            Iterator<INDArray> epochBatches = batches.nextEpoch();
            while (epochBatches.hasNext() && !finished()) {
                long started = System.nanoTime();
                StepLosses losses = gan.trainStep(epochBatches.next());
                recordStep(losses, (System.nanoTime() - started) / 1e9);
                logStep(losses);
                if (step % config.checkpointEvery() == 0) {
                    publishCheckpoint(gan, sampleLatents);
                }
            }
            if (!epochBatches.hasNext()) {
                epoch++;
            }
        }

        if (maxStepsReached() && step % config.checkpointEvery() != 0) {
            publishCheckpoint(gan, sampleLatents);
        }
    }

    private void logSettings() {
        Log.infof("training %s with seed %d: batch %d, latent %d, filters G %d / D %d, Adam lr %s beta1 %s, "
                        + "real label %s, labels %s, checkpoint every %d steps to topic %s, max steps %s",
                config.modelName(), config.seed(), config.batchSize(), config.latentSize(),
                config.generatorFilters(), config.discriminatorFilters(), config.learningRate(), config.beta1(),
                config.realLabel(), config.trainLabels(), config.checkpointEvery(), config.checkpointTopic(),
                config.maxSteps() > 0 ? config.maxSteps() : "unlimited");
    }

    private ChipSet loadChips() {
        ChipSet chips = ShipsNetLoader.load(config.dataPath(), config.heldoutScenes(),
                ChipLabel.fromConfigNames(config.trainLabels()), config.maxChips());
        trainChips = chips.train().size();
        heldoutChips = chips.heldout().size();
        return chips;
    }

    /** The networks saved at the last checkpoint when there are any (and resume is on), fresh ones otherwise. */
    private GanTrainer buildNetworks() {
        Optional<SavedTraining.Restored> restored = config.resume()
                ? SavedTraining.restore(config.stateDir(), config)
                : Optional.empty();
        GanTrainer gan;
        if (restored.isPresent()) {
            gan = restored.get().gan();
            step = restored.get().step();
            epoch = restored.get().epoch();
            Log.infof("resuming from step %d, epoch %d, saved in %s", step, epoch, config.stateDir());
        } else {
            gan = GanTrainer.create(config);
        }
        generatorParameters = gan.generator().numParams();
        discriminatorParameters = gan.discriminator().numParams();
        Log.infof("generator: %,d parameters, discriminator: %,d parameters", generatorParameters,
                discriminatorParameters);
        return gan;
    }

    private void recordStep(StepLosses losses, double seconds) {
        if (!losses.finite()) {
            throw new IllegalStateException("losses are no longer finite at step " + (step + 1) + " (G "
                    + losses.generator() + ", D " + losses.discriminator() + "): lower shipgan.trainer.learning-rate");
        }
        // The first step pays for loading native code: the second one starts the average afresh.
        secondsPerStep = stepsThisRun <= 1 ? seconds
                : (1 - THROUGHPUT_SMOOTHING) * secondsPerStep + THROUGHPUT_SMOOTHING * seconds;
        lastLosses = losses;
        step++;
        stepsThisRun++;
    }

    private void logStep(StepLosses losses) {
        if (stepsThisRun == 1 || step % config.logEvery() == 0) {
            Log.infof("step %d, epoch %d: loss G %.4f D %.4f, D(x) %.3f D(G(z)) %.3f, %.2f s/step, %.1f images/s",
                    step, epoch, losses.generator(), losses.discriminator(), losses.realProbability(),
                    losses.fakeProbability(), secondsPerStep, config.batchSize() / secondsPerStep);
        }
    }

    private void publishCheckpoint(GanTrainer gan, INDArray sampleLatents) {
        StepLosses losses = lastLosses;
        PublishedCheckpoint checkpoint = publisher.publishCheckpoint(gan.generator(),
                new CheckpointProgress(step, epoch, losses.generator(), losses.discriminator()));
        if (checkpoint.published()) {
            latestVersion = checkpoint.metadata().version();
        }
        writeSamples(gan, sampleLatents, checkpoint);
        saveTraining(gan);
    }

    private void saveTraining(GanTrainer gan) {
        try {
            SavedTraining.save(config.stateDir(), gan, step, epoch);
        } catch (IOException e) {
            Log.warnf("cannot save the networks at step %d to %s (%s): a restart would go back to the last save",
                    step, config.stateDir(), e.getMessage());
        }
    }

    /** The sample grid next to the checkpoint's ONNX file: same latents every time, comparable by eye. */
    private void writeSamples(GanTrainer gan, INDArray sampleLatents, PublishedCheckpoint checkpoint) {
        Path file = checkpoint.file().resolveSibling(
                checkpoint.file().getFileName().toString().replace(".onnx", "-samples.png"));
        try {
            SampleGrid.write(file, gan.generator().output(sampleLatents, false), SAMPLE_COLUMNS);
        } catch (IOException e) {
            Log.warnf("cannot write the sample grid of checkpoint %d to %s: %s", checkpoint.metadata().version(),
                    file, e.getMessage());
        }
    }

    /** Latents from their own generator, so that they do not depend on how many steps drew before them. */
    private INDArray fixedLatents() {
        Random random = new Random(config.seed() + 1);
        float[] values = new float[SAMPLES * config.latentSize()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Nd4j.create(values, new long[] {SAMPLES, config.latentSize()}, 'c');
    }

    private boolean finished() {
        return stopRequested || maxStepsReached();
    }

    private boolean maxStepsReached() {
        return config.maxSteps() > 0 && step >= config.maxSteps();
    }
}
