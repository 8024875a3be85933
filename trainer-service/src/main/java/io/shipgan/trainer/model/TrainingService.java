package io.shipgan.trainer.model;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.trainer.data.Chip;
import io.shipgan.trainer.data.ChipBatches;
import io.shipgan.trainer.data.ChipLabel;
import io.shipgan.trainer.data.ChipSet;
import io.shipgan.trainer.data.HeldoutScenes;
import io.shipgan.trainer.data.Seeds;
import io.shipgan.trainer.data.ShipsNetLoader;
import io.shipgan.trainer.export.AtomicFiles;
import io.shipgan.trainer.export.CurvePlot;
import io.shipgan.trainer.export.SampleGrid;
import io.shipgan.trainer.publish.CheckpointProgress;
import io.shipgan.trainer.publish.CheckpointPublisher;
import io.shipgan.trainer.publish.StoredCheckpoint;
import io.shipgan.trainer.score.CheckpointScorer;
import io.shipgan.trainer.score.ClassifierStore;
import io.shipgan.trainer.score.Scores;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the training loop in a background thread: chips, networks, then step after step with a checkpoint every
 * {@code checkpoint-every} steps, until stopped, at {@code max-steps}, or at shutdown. Its status is what the
 * status API and the readiness check report.
 */
@ApplicationScoped
public class TrainingService {

    /** How long shutdown waits for the current step (and a publish in flight) to finish. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    /** Fixed latents drawn at every checkpoint for its sample grid: one row per label, the same latents in each. */
    private static final int SAMPLES_PER_LABEL = 8;

    /** The curve image of the run, rewritten at each checkpoint. */
    public static final String CURVES_FILE = "curves.png";

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
    private volatile Map<String, Double> latestScores = Map.of();
    private volatile Double classifierAccuracy;
    private volatile List<ChipLabel> modelLabels = List.of();
    private volatile TrainingHistory history;
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
        latestScores = Map.of();
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

    /** The last version the broker acknowledged; null before the first. */
    private Long latestVersion() {
        OptionalLong version = publisher.lastPublishedVersion();
        return version.isPresent() ? version.getAsLong() : null;
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
        long remaining = config.maxSteps() > 0 ? Math.max(0, config.maxSteps() - step) : -1;
        return new TrainingStatus(
                state,
                config.modelName(),
                epoch,
                step,
                config.maxSteps() > 0 ? config.maxSteps() : null,
                seconds > 0 ? config.batchSize() / seconds : 0,
                seconds > 0 && remaining >= 0 && running() ? (Double) (remaining * seconds) : null,
                losses == null ? TrainingStatus.Losses.NONE
                        : new TrainingStatus.Losses(losses.generator(), losses.discriminator()),
                latestScores,
                classifierAccuracy,
                modelLabels.stream().map(ChipLabel::configName).toList(),
                latestVersion(),
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
            removeCrashLeftovers();
            ChipSet chips = loadChips();
            modelLabels = ChipLabel.modelOrder(ChipLabel.fromConfigNames(config.trainLabels()));
            String split = splitFingerprint();
            GanTrainer gan = buildNetworks(split);
            Scoring scorer = startScoring(chips);
            history = TrainingHistory.resume(config.stateDir(), step);
            publisher.prepareVersions();
            train(gan, chips, scorer, split);
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
    private void train(GanTrainer gan, ChipSet chips, Scoring scorer, String split) {
        List<ChipLabel> labels = modelLabels;
        List<Chip> trainChips = chips.train().stream().filter(chip -> labels.contains(chip.label())).toList();
        ChipBatches batches = new ChipBatches(trainChips, labels, config.batchSize(), config.seed());
        this.trainChips = trainChips.size();
        INDArray sampleInput = sampleInput(labels.size());
        state = TrainingState.TRAINING;
        Log.infof("training on %d chips of %s in class-balanced batches of %d", trainChips.size(),
                labels.stream().map(ChipLabel::configName).toList(), config.batchSize());

        while (!finished()) {
            long started = System.nanoTime();
            StepLosses losses = gan.trainStep(batches.batch(step), step);
            recordStep(losses, (System.nanoTime() - started) / 1e9);
            epoch = batches.epochAfter(step);
            logStep(losses);
            if (step % config.checkpointEvery() == 0) {
                publishCheckpoint(gan, sampleInput, scorer, split);
            }
        }

        if (maxStepsReached() && step % config.checkpointEvery() != 0) {
            publishCheckpoint(gan, sampleInput, scorer, split);
        }
    }

    private void logSettings() {
        Log.infof("training %s with seed %d: batch %d, latent %d, filters G %d / D %d, %s upsampling, %s "
                        + "conditioning (weight %s), Adam lr %s beta1 %s, real label %s, labels %s, checkpoint "
                        + "every %d steps to topic %s, max steps %s",
                config.modelName(), config.seed(), config.batchSize(), config.latentSize(),
                config.generatorFilters(), config.discriminatorFilters(), config.upsampling(),
                config.conditioning(), config.auxiliaryWeight(), config.learningRate(), config.beta1(),
                config.realLabel(), config.trainLabels(), config.checkpointEvery(), config.checkpointTopic(),
                config.maxSteps() > 0 ? config.maxSteps() : "unlimited");
    }

    /** Chips of both labels: the classifier needs them all, whichever labels the GAN learns. */
    private ChipSet loadChips() {
        ChipSet chips = ShipsNetLoader.load(config.dataPath(), config.heldoutScenes(),
                EnumSet.allOf(ChipLabel.class), config.maxChips());
        trainChips = chips.train().size();
        heldoutChips = chips.heldout().size();
        return chips;
    }

    /** The networks saved at the last checkpoint when there are any (and resume is on), fresh ones otherwise. */
    private GanTrainer buildNetworks(String split) {
        int labels = modelLabels.size();
        Optional<SavedTraining.Restored> restored = config.resume()
                ? SavedTraining.restore(config.stateDir(), config, labels, split)
                : Optional.empty();
        GanTrainer gan;
        if (restored.isPresent()) {
            gan = restored.get().gan();
            step = restored.get().step();
            epoch = restored.get().epoch();
            Log.infof("resuming from step %d, epoch %d, saved in %s", step, epoch, config.stateDir());
        } else {
            gan = GanTrainer.create(config, labels);
            step = 0;
            epoch = 0;
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
            history.add(new TrainingHistory.Point(step, losses.generator(), losses.discriminator(), null, null));
            String named = Double.isNaN(losses.realLabelAccuracy()) ? ""
                    : String.format(", labels named: real %.2f, generated %.2f", losses.realLabelAccuracy(),
                            losses.fakeLabelAccuracy());
            Log.infof("step %d, epoch %d: loss G %.4f D %.4f, D(x) %.3f D(G(z)) %.3f%s, %.2f s/step, %.1f images/s",
                    step, epoch, losses.generator(), losses.discriminator(), losses.realProbability(),
                    losses.fakeProbability(), named, secondsPerStep, config.batchSize() / secondsPerStep);
        }
    }

    private void publishCheckpoint(GanTrainer gan, INDArray sampleInput, Scoring scorer, String split) {
        StepLosses losses = lastLosses;
        Map<String, Double> scores = Map.of();
        Optional<CheckpointScorer> ready = scorer.ready();
        if (ready.isPresent()) {
            long started = System.nanoTime();
            scores = ready.get().score(gan.generator());
            Log.infof("step %d scored in %d ms: %s", step, (System.nanoTime() - started) / 1_000_000,
                    Scores.format(scores));
        } else if (scorer.pending()) {
            Log.infof("step %d: the classifier is still training, this checkpoint goes out without scores", step);
        }
        latestScores = scores;
        StoredCheckpoint checkpoint = publisher.publishCheckpoint(gan.generator(),
                new CheckpointProgress(step, epoch, losses.generator(), losses.discriminator(),
                        modelLabels.stream().map(ChipLabel::configName).toList(), scores));
        history.add(new TrainingHistory.Point(step, losses.generator(), losses.discriminator(),
                checkpoint.metadata().version(), scores));
        writeSamples(gan, sampleInput, checkpoint);
        writeCurves();
        saveTraining(gan, split);
    }

    /** A kill mid-write leaves a temporary file next to its target; the target itself is whole. */
    private void removeCrashLeftovers() {
        try {
            int removed = AtomicFiles.removeLeftovers(config.stateDir());
            if (removed > 0) {
                Log.infof("removed %d temporary file(s) that an interrupted write left in %s", removed,
                        config.stateDir());
            }
        } catch (IOException e) {
            Log.warnf("cannot clear temporary files from %s: %s", config.stateDir(), e.getMessage());
        }
    }

    private void saveTraining(GanTrainer gan, String split) {
        try {
            SavedTraining.save(config.stateDir(), gan, step, epoch, config.seed(), split);
        } catch (IOException e) {
            Log.warnf("cannot save the networks at step %d to %s (%s): a restart would go back to the last save",
                    step, config.stateDir(), e.getMessage());
        }
    }

    /** The sample grid next to the checkpoint's ONNX file: same latents every time, comparable by eye. */
    private void writeSamples(GanTrainer gan, INDArray sampleInput, StoredCheckpoint checkpoint) {
        Path file = samplesFile(checkpoint.file());
        try {
            SampleGrid.write(file, gan.generator().output(sampleInput, false), SAMPLES_PER_LABEL);
        } catch (IOException e) {
            Log.warnf("cannot write the sample grid of checkpoint %d to %s: %s", checkpoint.metadata().version(),
                    file, e.getMessage());
        }
    }

    private void writeCurves() {
        Path file = config.stateDir().resolve(CURVES_FILE);
        try {
            AtomicFiles.write(file, CurvePlot.png(history.points(), modelLabels));
        } catch (IOException | RuntimeException e) {
            Log.warnf("cannot write the training curves to %s: %s", file, e.getMessage());
        }
    }

    /** The sample grid of a checkpoint's ONNX file. */
    public static Path samplesFile(Path onnxFile) {
        return onnxFile.resolveSibling(onnxFile.getFileName().toString().replace(".onnx", "-samples.png"));
    }

    /** The history of this run (and of the runs it resumed), oldest first. */
    public List<TrainingHistory.Point> history() {
        TrainingHistory current = history;
        return current == null ? List.of() : current.points();
    }

    /**
     * The generator's input for the sample grids: the same {@value #SAMPLES_PER_LABEL} latents once per label
     * (drawn from their own stream, so that they do not depend on the step), each row one label.
     */
    private INDArray sampleInput(int labels) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(config.seed(), Seeds.SAMPLE_LATENTS, 0));
        float[] one = new float[SAMPLES_PER_LABEL * config.latentSize()];
        for (int i = 0; i < one.length; i++) {
            one[i] = (float) random.nextGaussian();
        }
        INDArray latents = Nd4j.create(one, new long[] {SAMPLES_PER_LABEL, config.latentSize()}, 'c');
        INDArray[] rows = new INDArray[labels];
        for (int label = 0; label < labels; label++) {
            int[] labelRow = new int[SAMPLES_PER_LABEL];
            Arrays.fill(labelRow, label);
            rows[label] = GanTrainer.generatorInput(latents, labelRow, labels);
        }
        return Nd4j.vstack(rows);
    }

    /**
     * The checkpoint scorer, being built: the classifier trains (or loads) on its own thread while the GAN trains,
     * so that the first checkpoints come as soon as without scoring, and each checkpoint after it is ready is
     * scored. With {@code scores.await-classifier} the run waits for it instead, and every checkpoint is scored.
     */
    private Scoring startScoring(ChipSet chips) {
        if (!config.scores().enabled()) {
            Log.info("scoring is off (shipgan.trainer.scores.enabled=false): checkpoints carry no scores");
            return Scoring.OFF;
        }
        CompletableFuture<CheckpointScorer> scorer = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                ClassifierStore.Loaded classifier = ClassifierStore.loadOrTrain(config.stateDir(), chips, config);
                classifierAccuracy = classifier.description().heldoutAccuracy();
                scorer.complete(new CheckpointScorer(classifier.classifier(), classifierAccuracy, chips,
                        modelLabels, config.scores().samples(), config.seed(), config.latentSize()));
            } catch (RuntimeException | Error e) {
                Log.errorf(e, "the scoring classifier failed: checkpoints go out without scores");
                scorer.completeExceptionally(e);
            }
        }, "shipgan-classifier");
        thread.setDaemon(true);
        thread.start();
        if (config.scores().awaitClassifier()) {
            scorer.exceptionally(e -> null).join();
        }
        return new Scoring(scorer);
    }

    /** A scorer that may still be in the making. */
    private record Scoring(CompletableFuture<CheckpointScorer> scorer) {

        static final Scoring OFF = new Scoring(CompletableFuture.failedFuture(new IllegalStateException("off")));

        Optional<CheckpointScorer> ready() {
            return scorer.isDone() && !scorer.isCompletedExceptionally()
                    ? Optional.of(scorer.join()) : Optional.empty();
        }

        boolean pending() {
            return !scorer.isDone();
        }
    }

    /** Which scenes are held out: a run saved with another list is not resumed. */
    private String splitFingerprint() {
        String scenes = String.join("\n", new TreeSet<>(HeldoutScenes.read(config.heldoutScenes())));
        return CheckpointRecord.sha256Hex(scenes.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private boolean finished() {
        return stopRequested || maxStepsReached();
    }

    private boolean maxStepsReached() {
        return config.maxSteps() > 0 && step >= config.maxSteps();
    }
}
