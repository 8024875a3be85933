package io.shipgan.generator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Everything an operator can tune about one generator replica. The Kafka connection itself comes from the
 * standard {@code kafka.*} keys (e.g. {@code kafka.bootstrap.servers}), which Quarkus hands to every client.
 */
@ConfigMapping(prefix = "shipgan.generator")
public interface GeneratorConfig {

    /** Topic the trainer publishes checkpoint records to; followed from its beginning by every replica. */
    @WithDefault("shipgan.checkpoints")
    String checkpointTopic();

    /** Record key (model name) this replica serves; records of other model names are ignored. */
    @WithDefault("shipgan-dcgan")
    String modelName();

    /** Where ONNX Runtime runs the active model: {@code cuda} or {@code auto} try the GPU first, {@code cpu} never. */
    @WithDefault("auto")
    Device device();

    /** Threads ONNX Runtime may use inside one operator on CPU; 1 keeps batch-1 latency steady on shared cores. */
    @WithDefault("1")
    int intraOpThreads();

    /** Largest number of samples one image request may ask for. */
    @WithDefault("64")
    int maxCount();

    /** Whether to follow the checkpoint topic at all; off leaves the replica without a checkpoint source. */
    @WithDefault("true")
    boolean followTopic();

    /** How long one poll of the checkpoint topic waits for records before looping. */
    @WithDefault("1s")
    Duration pollTimeout();

    /** First wait after the broker or topic could not be reached; doubles on each further failure. */
    @WithDefault("1s")
    Duration retryBackoffInitial();

    /** Longest wait between two attempts to reach the broker or topic. */
    @WithDefault("30s")
    Duration retryBackoffMax();

    /**
     * How many of the newest checkpoints found when catching up at start are kept in memory, so that the next
     * newest can be tried when the newest is rejected. Each holds up to 16 MiB of ONNX bytes.
     */
    @WithDefault("3")
    int catchUpCandidates();

    /** How many recent rejections the models API keeps and shows. */
    @WithDefault("20")
    int rejectionHistory();

    /** Where a replica may run ONNX Runtime. */
    enum Device {
        /** Try CUDA, fall back to CPU quietly (INFO) when it cannot be loaded. */
        AUTO,
        /** CUDA is expected; falling back to CPU is worth a WARN. */
        CUDA,
        /** CPU only; CUDA is never tried. */
        CPU
    }
}
