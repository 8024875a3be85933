package io.shipgan.generator.checkpoint;

import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.CheckpointSignature;
import io.shipgan.generator.config.GeneratorConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Follows the checkpoint topic on a thread of its own. Every replica has to see every checkpoint, so this is
 * no consumer-group member: it assigns itself all partitions, commits nothing, and reads from the beginning
 * on each start. At start it catches up to the end offsets and activates only the newest valid checkpoint;
 * after that each new record is offered as it arrives. A broker that cannot be reached is retried with
 * backoff while the active model keeps serving.
 */
@ApplicationScoped
public class CheckpointFollower {

    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final Duration KAFKA_CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();
    private static final int BROKER_LOST_AFTER_POLLS = 3;

    private final GeneratorConfig config;
    private final Map<String, Object> kafkaConfig;
    private final CheckpointActivation activation;
    private final CheckpointTracing tracing;

    private volatile boolean running;
    private volatile FollowerState state = FollowerState.STARTING;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private final Object pauseMonitor = new Object();
    private Thread thread;
    private int pollsWithoutBroker;

    public CheckpointFollower(GeneratorConfig config,
                              @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                              CheckpointActivation activation,
                              CheckpointTracing tracing) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.activation = activation;
        this.tracing = tracing;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.followTopic()) {
            state = FollowerState.DISABLED;
            Log.infof("shipgan.generator.follow-topic=false: not following %s; no checkpoint will be loaded",
                    config.checkpointTopic());
            return;
        }
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public FollowerState state() {
        return state;
    }

    /** Starts the follower thread; it runs until {@link #stop()}. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::followTopic, "checkpoint-follower");
        thread.setDaemon(true);
        thread.start();
        Log.infof("following %s at %s for model %s", config.checkpointTopic(), bootstrapServers(),
                config.modelName());
    }

    /** Stops the thread and closes its consumer, waiting a few seconds at most. */
    public synchronized void stop() {
        if (thread == null) {
            return;
        }
        running = false;
        // wakeup() aborts a blocking consumer call; an interrupt would also abort the consumer's own close.
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        synchronized (pauseMonitor) {
            pauseMonitor.notifyAll();
        }
        try {
            thread.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
        state = FollowerState.STOPPED;
    }

    private void followTopic() {
        Backoff backoff = new Backoff(config.retryBackoffInitial(), config.retryBackoffMax());
        while (running) {
            try (KafkaConsumer<byte[], byte[]> created = createConsumer()) {
                consumer = created;
                List<TopicPartition> partitions = awaitTopic(created, backoff);
                if (partitions.isEmpty()) {
                    continue;
                }
                catchUp(created, partitions);
                backoff.reset();
                followLive(created);
            } catch (WakeupException | InterruptException e) {
                if (running) {
                    Log.debug("checkpoint follower woken up while running; reconnecting");
                }
            } catch (KafkaException e) {
                state = FollowerState.WAITING_FOR_BROKER;
                Duration wait = backoff.nextWait();
                Log.warnf("reading %s failed (%s); retrying in %d ms, the active model keeps serving",
                        config.checkpointTopic(), e.getMessage(), wait.toMillis());
                pause(wait);
            } catch (RuntimeException e) {
                Duration wait = backoff.nextWait();
                Log.errorf(e, "checkpoint follower failed; restarting in %d ms", wait.toMillis());
                pause(wait);
            } finally {
                consumer = null;
            }
        }
        state = FollowerState.STOPPED;
    }

    private KafkaConsumer<byte[], byte[]> createConsumer() {
        Map<String, Object> properties = new HashMap<>(kafkaConfig);
        // Quarkus fills in a group id by default; a group would share the checkpoints out among replicas.
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, CheckpointRecord.MAX_RECORD_BYTES);
        properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, CheckpointRecord.MAX_RECORD_BYTES);
        // A few large records per poll at most: each may be 16 MiB and is validated before the next is read.
        properties.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 8);
        properties.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_CALL_TIMEOUT.toMillis());
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG,
                "shipgan-generator-" + config.modelName() + "-" + CLIENT_IDS.incrementAndGet());
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Waits until the topic exists; empty only when the follower was stopped meanwhile. */
    private List<TopicPartition> awaitTopic(KafkaConsumer<byte[], byte[]> kafka, Backoff backoff) {
        while (running) {
            try {
                List<PartitionInfo> infos = kafka.partitionsFor(config.checkpointTopic(), KAFKA_CALL_TIMEOUT);
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                }
                state = FollowerState.WAITING_FOR_TOPIC;
            } catch (UnknownTopicOrPartitionException e) {
                state = FollowerState.WAITING_FOR_TOPIC;
            } catch (TimeoutException e) {
                state = FollowerState.WAITING_FOR_BROKER;
            }
            Duration wait = backoff.nextWait();
            logWaiting(backoff.failures(), wait);
            pause(wait);
        }
        return List.of();
    }

    /** Every attempt at DEBUG; at INFO/WARN only the first few and then every tenth, so a long outage stays quiet. */
    private void logWaiting(int failures, Duration wait) {
        String what = state == FollowerState.WAITING_FOR_TOPIC
                ? "topic " + config.checkpointTopic() + " does not exist yet"
                : "broker " + bootstrapServers() + " not reachable";
        if (failures <= 3 || failures % 10 == 0) {
            if (state == FollowerState.WAITING_FOR_TOPIC) {
                Log.infof("%s; attempt %d, retrying in %d ms", what, failures, wait.toMillis());
            } else {
                Log.warnf("%s; attempt %d, retrying in %d ms. Check kafka.bootstrap.servers", what, failures,
                        wait.toMillis());
            }
        } else {
            Log.debugf("%s; attempt %d, retrying in %d ms", what, failures, wait.toMillis());
        }
    }

    /**
     * Reads from the beginning up to the end offsets as they were at start, keeping the few newest candidates
     * of this replica's model, then activates the newest valid one of them.
     */
    private void catchUp(KafkaConsumer<byte[], byte[]> kafka, List<TopicPartition> partitions) {
        state = FollowerState.CATCHING_UP;
        kafka.assign(partitions);
        kafka.seekToBeginning(partitions);
        Map<TopicPartition, Long> endOffsets = kafka.endOffsets(partitions, KAFKA_CALL_TIMEOUT);
        long started = System.nanoTime();

        TreeMap<Long, KeptCandidate> newest = new TreeMap<>();
        int read = 0;
        while (running && !reached(kafka, endOffsets)) {
            for (ConsumerRecord<byte[], byte[]> record : kafka.poll(config.pollTimeout())) {
                read++;
                CheckpointCandidate candidate = toCandidate(record);
                if (!activation.servesKey(candidate.key()) || candidate.onnx() == null) {
                    continue;
                }
                OptionalLong version = candidate.declaredVersion();
                if (version.isPresent()) {
                    keepIfNewest(newest, version.getAsLong(), new KeptCandidate(candidate, tracing.parentOf(record)));
                } else {
                    // Unreadable metadata cannot be ranked; offering it records the rejection right away.
                    offerTraced(record, candidate);
                }
            }
        }
        Log.infof("caught up on %s: %d records in %d ms, %d candidates of %s kept; activating the newest valid",
                config.checkpointTopic(), read, (System.nanoTime() - started) / 1_000_000, newest.size(),
                config.modelName());
        if (!newest.isEmpty()) {
            // The catch-up's choice is told in the trace of the newest record, the one tried first.
            KeptCandidate first = newest.lastEntry().getValue();
            List<CheckpointCandidate> candidates = newest.values().stream().map(KeptCandidate::candidate).toList();
            tracing.traced(first.trace(), config.checkpointTopic(), first.candidate(),
                    () -> activation.activateNewest(candidates));
        }
        newest.clear();
    }

    /** A candidate kept during catch-up, with the trace context its record carried. */
    private record KeptCandidate(CheckpointCandidate candidate, Context trace) {
    }

    private void keepIfNewest(TreeMap<Long, KeptCandidate> newest, long version, KeptCandidate candidate) {
        newest.put(version, candidate);
        while (newest.size() > Math.max(1, config.catchUpCandidates())) {
            newest.pollFirstEntry();
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> kafka, Map<TopicPartition, Long> endOffsets) {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (kafka.position(end.getKey(), KAFKA_CALL_TIMEOUT) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    // TODO(partitions added later): the assignment is fixed at start; a partition added to the topic afterwards
    // is only read after the next restart or reconnect.
    private void followLive(KafkaConsumer<byte[], byte[]> kafka) {
        state = FollowerState.FOLLOWING;
        Log.infof("following %s for new checkpoints of %s", config.checkpointTopic(), config.modelName());
        pollsWithoutBroker = 0;
        while (running) {
            ConsumerRecords<byte[], byte[]> records = kafka.poll(config.pollTimeout());
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (!running) {
                    return;
                }
                offerTraced(record, toCandidate(record));
            }
            watchBrokerConnection(kafka, records.isEmpty());
        }
    }

    private void offerTraced(ConsumerRecord<byte[], byte[]> record, CheckpointCandidate candidate) {
        tracing.traced(tracing.parentOf(record), record.topic(), candidate, () -> activation.offer(candidate));
    }

    /**
     * The consumer reconnects by itself and a poll without a broker simply returns nothing, so a lost broker is
     * noticed from the client's connection count: reported once when lost, once when back.
     */
    private void watchBrokerConnection(KafkaConsumer<byte[], byte[]> kafka, boolean emptyPoll) {
        boolean connected = !emptyPoll || connectionCount(kafka) > 0;
        if (connected) {
            if (state == FollowerState.WAITING_FOR_BROKER) {
                Log.infof("broker %s reachable again; following %s", bootstrapServers(), config.checkpointTopic());
            }
            pollsWithoutBroker = 0;
            state = FollowerState.FOLLOWING;
        } else if (++pollsWithoutBroker == BROKER_LOST_AFTER_POLLS) {
            state = FollowerState.WAITING_FOR_BROKER;
            Log.warnf("lost broker %s; reconnecting in the background, the active model keeps serving. "
                    + "Check the broker and kafka.bootstrap.servers", bootstrapServers());
        }
    }

    private static double connectionCount(KafkaConsumer<byte[], byte[]> kafka) {
        for (Map.Entry<MetricName, ? extends Metric> metric : kafka.metrics().entrySet()) {
            if ("connection-count".equals(metric.getKey().name())
                    && "consumer-metrics".equals(metric.getKey().group())
                    && metric.getValue().metricValue() instanceof Double count) {
                return count;
            }
        }
        // Without the metric there is nothing to go by: assume connected rather than cry wolf.
        return 1;
    }

    private Object bootstrapServers() {
        return kafkaConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    private static CheckpointCandidate toCandidate(ConsumerRecord<byte[], byte[]> record) {
        return CheckpointCandidate.fromRecord(record.key(), headerValue(record, CheckpointRecord.METADATA_HEADER),
                headerValue(record, CheckpointSignature.HEADER), record.value(),
                record.topic() + "-" + record.partition() + "@" + record.offset());
    }

    private static byte[] headerValue(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : header.value();
    }

    /** Waits before the next attempt; {@link #stop()} cuts the wait short. */
    private void pause(Duration wait) {
        synchronized (pauseMonitor) {
            if (!running) {
                return;
            }
            try {
                pauseMonitor.wait(wait.toMillis());
            } catch (InterruptedException e) {
                // Nothing here interrupts this thread; an interrupt from elsewhere asks it to end.
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
