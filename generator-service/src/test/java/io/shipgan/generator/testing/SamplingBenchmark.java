package io.shipgan.generator.testing;

import io.shipgan.generator.imaging.PngEncoder;
import io.shipgan.generator.sampling.LoadedModel;
import io.shipgan.generator.sampling.Samples;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Measures what an operator sizes replicas by, on the real ONNX Runtime with the DCGAN-shaped test generator:
 * the first session's load in a fresh JVM (native library unpacking included), and sampling latency at batch
 * 1 and 16, with and without PNG encoding. Not a test: run its main method from the test classpath.
 */
public final class SamplingBenchmark {

    private static final int WARMUP = 30;
    private static final int RUNS = 200;

    private SamplingBenchmark() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        GeneratorParts parts = GeneratorParts.onCpu();
        byte[] onnx = GeneratorModels.dcgan(1).build();
        LoadedModel model = parts.validator.validateCandidate(TestCheckpoints.metadata(1, onnx), onnx);
        long firstLoadMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("model: %d bytes; first validated session in a fresh JVM: %d ms (session alone %d ms)%n",
                onnx.length, firstLoadMs, model.loadMillis());

        LoadedModel second = parts.validator.validateCandidate(TestCheckpoints.metadata(2, onnx), onnx);
        System.out.printf("second session load: %d ms%n", second.loadMillis());
        parts.activeModel.swapActiveModel(model);
        parts.activeModel.swapActiveModel(second);

        for (int batch : new int[] {1, 16, 64}) {
            report("sample", batch, time(() -> parts.sampler.sample(7L, batch)));
            report("sample+png", batch, time(() -> PngEncoder.encodePng(parts.sampler.sample(7L, batch))));
        }
        Samples one = parts.sampler.sample(7L, 16);
        report("png only", 16, time(() -> PngEncoder.encodePng(one)));
    }

    /**
     * Wall time and this thread's CPU time per run, sorted. With one intra-op thread ONNX Runtime computes on
     * the calling thread, so the CPU time is the cost without the other processes sharing the cores.
     */
    private static double[][] time(Runnable work) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARMUP; i++) {
            work.run();
        }
        double[] wall = new double[RUNS];
        double[] cpu = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            work.run();
            wall[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new double[][] {wall, cpu};
    }

    private static void report(String what, int batch, double[][] sorted) {
        double[] wall = sorted[0];
        double[] cpu = sorted[1];
        System.out.printf("%-11s batch %2d: wall p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms | cpu p50 %7.2f ms%n",
                what, batch, wall[RUNS / 2], wall[RUNS * 9 / 10], wall[RUNS * 99 / 100], cpu[RUNS / 2]);
    }
}
