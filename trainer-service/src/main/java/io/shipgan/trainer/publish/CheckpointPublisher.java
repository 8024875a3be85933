package io.shipgan.trainer.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.logging.Log;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.CheckpointSignature;
import io.shipgan.checkpoint.SigningKeys;
import io.shipgan.trainer.config.TrainerConfig;
import io.shipgan.trainer.data.Chip;
import io.shipgan.trainer.export.AtomicFiles;
import io.shipgan.trainer.export.OnnxExporter;
import io.shipgan.trainer.score.Scores;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the generator into a checkpoint record: exports it to ONNX, gives it the next version, keeps the file and
 * its metadata in the state folder, and hands it to the {@link CheckpointOutbox}, which publishes it to the
 * checkpoint topic (signed when a signing key is configured, acknowledged by every in-sync replica, idempotent)
 * as soon as the broker takes it. Training does not wait for the broker.
 */
@ApplicationScoped
public class CheckpointPublisher {

    private static final List<Integer> IMAGE_SHAPE = List.of(Chip.CHANNELS, Chip.SIZE, Chip.SIZE);

    /** Prometheus: {@code shipgan_trainer_checkpoints_total{result="published"|"failed"}}, one per attempt. */
    static final String CHECKPOINTS = "shipgan.trainer.checkpoints";

    private final TrainerConfig config;
    private final MutinyEmitter<byte[]> checkpoints;
    private final Map<String, Object> kafka;
    private final MeterRegistry registry;
    private volatile CheckpointVersions versions;
    private volatile CheckpointOutbox outbox;
    private volatile Optional<PrivateKey> signingKey;
    /** The publish span of each checkpoint still in the outbox: the producer's span, sent later, is its child. */
    private final Map<Long, Context> publishSpans = new ConcurrentHashMap<>();

    @Inject
    public CheckpointPublisher(
            TrainerConfig config,
            @Channel("checkpoints") MutinyEmitter<byte[]> checkpoints,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            MeterRegistry registry) {
        this.config = config;
        this.checkpoints = checkpoints;
        this.kafka = kafka;
        this.registry = registry;
    }

    /**
     * Finds where versions continue from: the largest of the state folder's last version, the topic's, and the
     * last one this process handed out. An unreachable broker leaves the other two, with a warning.
     */
    public void prepareVersions() {
        CheckpointVersions prepared = new CheckpointVersions(config.stateDir());
        prepared.continueAfter(lastVersion());
        long known = prepared.last();
        long newestOnTopic = 0;
        try {
            OptionalLong onTopic = TopicVersionReader.lastPublishedVersion(kafka, config.checkpointTopic(),
                    config.modelName(), config.versionLookupTimeout());
            onTopic.ifPresent(prepared::continueAfter);
            newestOnTopic = onTopic.orElse(0);
            Log.infof("checkpoint versions of %s continue after %d (known here %d, on topic %s: %s)",
                    config.modelName(), prepared.last(), known, config.checkpointTopic(),
                    onTopic.isPresent() ? String.valueOf(onTopic.getAsLong()) : "none");
        } catch (KafkaException e) {
            Log.warnf("cannot read the last version of %s from topic %s at %s (%s); versions continue after %d, "
                            + "the last one recorded in %s. If the topic holds newer versions, generators will "
                            + "ignore checkpoints until they pass it",
                    config.modelName(), config.checkpointTopic(), bootstrapServers(), e.getMessage(), known,
                    config.stateDir().resolve(CheckpointVersions.FILE_NAME));
        }
        versions = prepared;
        if (outbox == null) {
            outbox = new CheckpointOutbox(config.stateDir(), config.modelName(), this::sendCheckpoint,
                    new OutboxLog(), config.publishRetry(), config.publishRetryMax());
            outbox.recover(newestOnTopic);
        }
    }

    /** The last version the broker acknowledged, in this run or an earlier one on the same state folder. */
    public OptionalLong lastPublishedVersion() {
        CheckpointOutbox current = outbox;
        long version = current == null ? CheckpointOutbox.readPublished(config.stateDir()) : current.lastPublished();
        return version == 0 ? OptionalLong.empty() : OptionalLong.of(version);
    }

    /** How many stored checkpoints wait for the broker to come back. */
    public int pendingCheckpoints() {
        CheckpointOutbox current = outbox;
        return current == null ? 0 : current.pendingCount();
    }

    @PreDestroy
    void close() {
        CheckpointOutbox current = outbox;
        if (current != null) {
            current.close();
        }
    }

    /** The last version handed out, 0 when none was. */
    public long lastVersion() {
        CheckpointVersions current = versions;
        return current == null ? 0 : current.last();
    }

    /**
     * Exports and stores one checkpoint of the generator and queues it for the broker; returns without waiting
     * for it. It is a span of its own, the parent of the producer's, whose context travels to the generators in
     * the record's headers.
     */
    @WithSpan("checkpoint publish")
    public StoredCheckpoint publishCheckpoint(MultiLayerNetwork generator, CheckpointProgress progress) {
        long started = System.nanoTime();
        byte[] onnx = OnnxExporter.exportGenerator(generator, progress.labels().size());
        CheckpointMetadata metadata = describeCheckpoint(onnx, nextVersion(), progress);
        Path file = storeCheckpoint(metadata, onnx);
        Span.current().setAttribute("shipgan.checkpoint.version", metadata.version());
        Span.current().setAttribute("shipgan.checkpoint.step", metadata.step());
        if (onnx.length > CheckpointRecord.MAX_RECORD_BYTES) {
            registry.counter(CHECKPOINTS, "result", "failed").increment();
            Log.errorf("checkpoint %d NOT published: %.1f MB is more than the %d MiB a checkpoint record may hold; "
                            + "lower shipgan.trainer.generator-filters. It is kept at %s", metadata.version(),
                    onnx.length / 1e6, CheckpointRecord.MAX_RECORD_BYTES >> 20, file);
            return new StoredCheckpoint(metadata, file);
        }
        publishSpans.put(metadata.version(), Context.current());
        outbox.add(metadata.version(), file, CheckpointRecord.encodeMetadata(metadata));
        Log.infof("checkpoint %d stored: %.1f MB, step %d, epoch %d, scores %s, in %d ms; %d waiting for the broker",
                metadata.version(), onnx.length / 1e6, metadata.step(), metadata.epoch(),
                Scores.format(metadata.scores()), (System.nanoTime() - started) / 1_000_000, outbox.pendingCount());
        return new StoredCheckpoint(metadata, file);
    }

    /** Logs and counts what the outbox does: one warning per checkpoint that waits, not one per retry. */
    private final class OutboxLog implements CheckpointOutbox.Listener {

        @Override
        public void published(long version, long attempts) {
            registry.counter(CHECKPOINTS, "result", "published").increment();
            if (attempts > 1) {
                Log.infof("checkpoint %d published after %d attempts: the broker at %s is back", version, attempts,
                        bootstrapServers());
            } else {
                Log.infof("checkpoint %d published", version);
            }
        }

        @Override
        public void failed(long version, long attempts, RuntimeException cause) {
            registry.counter(CHECKPOINTS, "result", "failed").increment();
            if (attempts == 1) {
                Log.warnf("checkpoint %d NOT published to topic %s at %s: %s. It is kept in %s and sent again, in "
                                + "order with the later ones, when the broker takes it; training goes on",
                        version, config.checkpointTopic(), bootstrapServers(), describe(cause), config.stateDir());
            } else {
                Log.debugf("checkpoint %d: attempt %d failed: %s", version, attempts, describe(cause));
            }
        }
    }

    private long nextVersion() {
        if (versions == null) {
            prepareVersions();
        }
        return versions.next();
    }

    private CheckpointMetadata describeCheckpoint(byte[] onnx, long version, CheckpointProgress progress) {
        return new CheckpointMetadata(
                CheckpointRecord.FORMAT_VERSION,
                config.modelName(),
                version,
                CheckpointRecord.sha256Hex(onnx),
                onnx.length,
                Instant.now(),
                progress.step(),
                progress.epoch(),
                config.latentSize(),
                progress.labels(),
                CheckpointRecord.LATENT_INPUT,
                CheckpointRecord.IMAGE_OUTPUT,
                IMAGE_SHAPE,
                Map.of("generator", progress.generatorLoss(), "discriminator", progress.discriminatorLoss()),
                progress.scores(),
                config.seed());
    }

    /** Keeps the ONNX file, named for model and version, in the state folder. */
    private Path storeCheckpoint(CheckpointMetadata metadata, byte[] onnx) {
        // TODO(retention): every checkpoint stays in the state folder (5.3 MB each at the default size).
        Path file = config.stateDir().resolve(metadata.modelName() + "-v" + metadata.version() + ".onnx");
        try {
            AtomicFiles.write(file, onnx);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + metadata.version() + " to " + file, e);
        }
        return file;
    }

    /** Sends one stored record and waits for the broker's acknowledgement (acks=all); throws when none came. */
    private void sendCheckpoint(long version, String modelName, byte[] metadataJson, byte[] onnx) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CheckpointRecord.METADATA_HEADER, metadataJson);
        signingKey().ifPresent(key -> headers.add(CheckpointSignature.HEADER,
                CheckpointSignature.sign(key, modelName, metadataJson)));
        OutgoingKafkaRecordMetadata<String> record = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(config.checkpointTopic())
                .withKey(modelName)
                .withHeaders(headers)
                .build();
        // The sink may send on another thread: the message names the span it belongs to, the one that stored it
        // (a checkpoint recovered after a restart has none left and starts a trace of its own).
        Context span = publishSpans.getOrDefault(version, Context.current());
        Message<byte[]> message = Message.of(onnx).addMetadata(record).addMetadata(TracingMetadata.withCurrent(span));
        checkpoints.sendMessage(message).await().atMost(config.publishTimeout());
        publishSpans.remove(version);
    }

    /** The configured signing key, read once; a key that cannot be read fails every publish, never signs less. */
    private Optional<PrivateKey> signingKey() {
        Optional<PrivateKey> key = signingKey;
        if (key != null) {
            return key;
        }
        Optional<Path> file = config.signing().privateKeyFile();
        if (file.isEmpty()) {
            Log.warnf("checkpoints of %s are published UNSIGNED: generators that trust a trainer key will refuse "
                    + "them. Set shipgan.trainer.signing.private-key-file to sign them", config.modelName());
            key = Optional.empty();
        } else {
            try {
                key = Optional.of(SigningKeys.readPrivateKey(file.get()));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot read the checkpoint signing key " + file.get() + ": "
                        + e.getMessage(), e);
            }
            Log.infof("checkpoints of %s are signed (Ed25519) with the key in %s", config.modelName(), file.get());
        }
        signingKey = key;
        return key;
    }

    private String bootstrapServers() {
        return String.valueOf(kafka.get("bootstrap.servers"));
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + cause + ")";
    }
}
