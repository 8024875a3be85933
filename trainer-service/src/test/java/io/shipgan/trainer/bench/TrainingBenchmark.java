package io.shipgan.trainer.bench;

import io.shipgan.trainer.TestSupport;
import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.trainer.data.ChipBatches;
import io.shipgan.trainer.data.ChipLabel;
import io.shipgan.trainer.data.ChipSet;
import io.shipgan.trainer.data.ShipsNetLoader;
import io.shipgan.trainer.data.TrainingBatch;
import io.shipgan.trainer.model.GanTrainer;
import io.shipgan.trainer.model.NetworkFlops;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Training throughput against what the same two cores can do: for each variant (batch size, upsampling), the
 * training images per second, the GFLOP of one step counted from the architecture ({@link NetworkFlops}), the
 * GFLOP/s that achieves, and the SGEMM GFLOP/s of ND4J (1024^3 float) measured in the same run, with the ratio.
 * A program, not a test: {@code java -cp ... io.shipgan.trainer.bench.TrainingBenchmark [--steps N]
 * [--batches 16,32,64] [--upsampling transposed,resize-conv] [--generator-filters 64]
 * [--discriminator-filters 64]}. Thread settings come from the environment
 * ({@code OMP_NUM_THREADS}), so compare them across runs.
 */
public final class TrainingBenchmark {

    private static final int WARM_UP_STEPS = 2;
    private static final int GEMM_SIZE = 1024;
    private static final int GEMM_REPEATS = 8;

    private TrainingBenchmark() {
    }

    /** @param batchMillis time to assemble one batch (read, turn, stack), part of secondsPerStep */
    private record Row(String variant, int batch, double secondsPerStep, double batchMillis, double gflopPerStep,
                       double sgemm) {

        double imagesPerSecond() {
            return batch / secondsPerStep;
        }

        double gflops() {
            return gflopPerStep / secondsPerStep;
        }
    }

    public static void main(String[] args) {
        Map<String, String> options = options(args);
        int steps = Integer.parseInt(options.getOrDefault("steps", "6"));
        List<Integer> batches = List.of(options.getOrDefault("batches", "16,32,64").split(",")).stream()
                .map(Integer::parseInt).toList();
        List<String> upsamplings = List.of(options.getOrDefault("upsampling", "transposed,resize-conv").split(","));
        Map<String, String> overrides = new HashMap<>();
        for (String key : List.of("generator-filters", "discriminator-filters")) {
            if (options.containsKey(key)) {
                overrides.put(key, options.get(key));
            }
        }
        ChipSet chips = ShipsNetLoader.load(TestSupport.shipsnetFolder(), TestSupport.heldoutScenesFile(),
                EnumSet.allOf(ChipLabel.class), 200);
        List<ChipLabel> labels = List.of(ChipLabel.SHIP, ChipLabel.NO_SHIP);

        List<Row> rows = new ArrayList<>();
        for (String upsampling : upsamplings) {
            for (int batch : batches) {
                Map<String, String> settings = new HashMap<>(overrides);
                settings.put("batch-size", String.valueOf(batch));
                settings.put("upsampling", upsampling);
                TrainerConfig config = TestSupport.trainerConfig(settings);
                GanTrainer gan = GanTrainer.create(config, labels.size());
                ChipBatches batchesOfChips = new ChipBatches(chips.train(), labels, batch, config.seed());
                for (int step = 0; step < WARM_UP_STEPS; step++) {
                    gan.trainStep(batchesOfChips.batch(step), step);
                }
                long assembly = 0;
                long started = System.nanoTime();
                for (int step = WARM_UP_STEPS; step < WARM_UP_STEPS + steps; step++) {
                    long assembling = System.nanoTime();
                    TrainingBatch next = batchesOfChips.batch(step);
                    assembly += System.nanoTime() - assembling;
                    gan.trainStep(next, step);
                }
                double seconds = (System.nanoTime() - started) / 1e9 / steps;
                double gflop = NetworkFlops.ganStep(gan, config.latentSize(), batch) / 1e9;
                // SGEMM right after each variant: the machine's load changes over a run.
                rows.add(new Row(upsampling, batch, seconds, assembly / 1e6 / steps, gflop, sgemmGflops()));
                System.out.printf("%s batch %d: %.2f s/step%n", upsampling, batch, seconds);
            }
        }

        System.out.printf("%nOMP_NUM_THREADS=%s, %d steps per variant after %d warm-up steps%n",
                System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"), steps, WARM_UP_STEPS);
        System.out.println("| upsampling | batch | s/step | batch assembly ms | images/s | GFLOP/step | GFLOP/s "
                + "| SGEMM GFLOP/s | ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            System.out.printf("| %s | %d | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %.3f |%n", row.variant(),
                    row.batch(), row.secondsPerStep(), row.batchMillis(), row.imagesPerSecond(), row.gflopPerStep(),
                    row.gflops(), row.sgemm(), row.gflops() / row.sgemm());
        }
    }

    /** ND4J's float matrix multiply on 1024x1024 matrices, best of a few repeats. */
    static double sgemmGflops() {
        INDArray a = Nd4j.rand(DataType.FLOAT, GEMM_SIZE, GEMM_SIZE);
        INDArray b = Nd4j.rand(DataType.FLOAT, GEMM_SIZE, GEMM_SIZE);
        INDArray c = Nd4j.zeros(DataType.FLOAT, GEMM_SIZE, GEMM_SIZE);
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < GEMM_REPEATS; i++) {
            long started = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            best = Math.min(best, (System.nanoTime() - started) / 1e9);
        }
        return 2.0 * GEMM_SIZE * GEMM_SIZE * GEMM_SIZE / best / 1e9;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("options are --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
