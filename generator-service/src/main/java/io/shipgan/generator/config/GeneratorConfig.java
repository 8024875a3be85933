package io.shipgan.generator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /** How many versions (of any status) the models API lists; active, canary and cached ones always stay. */
    @WithDefault("50")
    int versionHistory();

    /**
     * This replica's name in rollout events and the models API. Absent: {@code <hostname>:<quarkus.http.port>},
     * which tells replicas on one host apart.
     */
    Optional<String> replicaId();

    /** Which checkpoints count as the trainer's. */
    Trust trust();

    /** The quality gate on checkpoint scores. */
    Gate gate();

    /** Trying a new checkpoint on a share of requests before it serves them all. */
    Canary canary();

    /** The local copy of the last good checkpoints, which a restart serves from before Kafka is reached. */
    Cache cache();

    /** Merging concurrent requests into one ONNX Runtime run. */
    Batching batching();

    /** The rollout events this replica publishes. */
    Events events();

    /** Checkpoint signatures: records the trainer did not sign never serve. */
    interface Trust {

        /**
         * The trainer's Ed25519 public key (X.509 PEM, as {@code openssl pkey -pubout} writes it): every checkpoint
         * record must carry a valid signature by its private key, or it is rejected. Absent, signatures are not
         * checked and any record on the topic may serve (a warning says so at start).
         */
        Optional<Path> publicKeyFile();
    }

    /** A checkpoint whose scores are worse than the active model's by more than a margin never serves. */
    interface Gate {

        /** Whether the gate applies at all; off, only validation decides. */
        @WithDefault("true")
        boolean enabled();

        /**
         * One rule per score, {@code name:direction:margin}: direction {@code lower} or {@code higher} (which
         * way is better), margin absolute ({@code 0.05}) or relative to the active model's score ({@code 10%}).
         * A rule is skipped when the candidate or the active model lacks that score.
         */
        @WithDefault("fd_ship:lower:10%,ship_rate:higher:0.05")
        List<String> rules();
    }

    /** The canary trial: a share of requests for a while, then promotion or drop by what was observed. */
    interface Canary {

        /** Whether a new passing checkpoint starts as a canary instead of taking all requests at once. */
        @WithDefault("false")
        boolean enabled();

        /** Share of requests, in (0, 1], sent to the canary while it runs; the rest stay on the active model. */
        @WithDefault("0.1")
        double share();

        /** Longest a canary runs; when it ends it is judged on the requests it served. */
        @WithDefault("60s")
        Duration duration();

        /** Requests after which a canary is judged, even before its duration is over. */
        @WithDefault("200")
        int requests();

        /**
         * Largest share of failed canary requests (sampling errors, values not finite or outside [-1, 1]) that
         * still promotes; more drops the canary, as soon as the trial can no longer pass.
         */
        @WithDefault("0.0")
        double maxErrorRate();
    }

    /** The local model cache. */
    interface Cache {

        /** Whether good checkpoints are kept on disk and restored at start. */
        @WithDefault("true")
        boolean enabled();

        /** Folder of the cached checkpoints and the persisted rollout policy; one per replica. */
        @WithDefault(".run/generator-${quarkus.http.port}/models")
        Path dir();

        /** How many of the newest good checkpoints are kept, besides the active, canary and pinned ones. */
        @WithDefault("5")
        int keep();
    }

    /** Dynamic batching of sampling requests. */
    interface Batching {

        /** Whether concurrent requests are merged; off, every request runs ONNX Runtime on its own thread. */
        @WithDefault("true")
        boolean enabled();

        /** Most samples in one merged run; a single larger request still runs, alone. */
        @WithDefault("64")
        int maxBatchSize();

        /**
         * How long a batch is held open for more requests once requests arrive concurrently (the previous batch
         * merged more than one). A lone caller never waits. 0 merges only what is queued already.
         */
        @WithDefault("2ms")
        Duration maxWait();

        /** Threads running merged batches; with one intra-op thread each, one per core. */
        @WithDefault("2")
        int runners();
    }

    /** Rollout events: one JSON record per thing that happened to a version on this replica. */
    interface Events {

        /** Whether events are published to Kafka; they are kept for the models API either way. */
        @WithDefault("true")
        boolean enabled();

        /** The topic, keyed by model name. */
        @WithDefault("shipgan.rollout-events")
        String topic();

        /** How many recent events the models API shows. */
        @WithDefault("50")
        int history();
    }

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
