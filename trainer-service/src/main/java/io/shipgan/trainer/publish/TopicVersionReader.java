package io.shipgan.trainer.publish;

import io.quarkus.logging.Log;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.InvalidCheckpointException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Finds the last checkpoint version of a model on the topic by reading it from the start with a short-lived
 * consumer (no group, nothing committed). A compacted topic keeps the newest record per model, so this is quick.
 */
final class TopicVersionReader {

    private TopicVersionReader() {
    }

    /**
     * @param kafka Kafka client settings; {@code bootstrap.servers} and any security settings are used
     * @return the largest version of the model on the topic, empty when the topic has none
     * @throws KafkaException when the broker cannot be reached or the topic not be read in time
     */
    static OptionalLong lastPublishedVersion(Map<String, Object> kafka, String topic, String modelName,
                                             Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(kafka, timeout))) {
            List<PartitionInfo> partitionInfos = consumer.partitionsFor(topic, timeout);
            if (partitionInfos == null || partitionInfos.isEmpty()) {
                return OptionalLong.empty();
            }
            List<TopicPartition> partitions = partitionInfos.stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, timeout);

            long last = -1;
            while (!reachedEnd(consumer, endOffsets)) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("topic " + topic + " not read to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    last = Math.max(last, versionOf(record, modelName));
                }
            }
            return last < 0 ? OptionalLong.empty() : OptionalLong.of(last);
        }
    }

    private static Map<String, Object> consumerConfig(Map<String, Object> kafka, Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (key.equals(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) || key.startsWith("security.")
                    || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                config.put(key, value);
            }
        });
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "shipgan-trainer-version-lookup");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, CheckpointRecord.MAX_RECORD_BYTES);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, CheckpointRecord.MAX_RECORD_BYTES);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return config;
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> endOffsets) {
        return endOffsets.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    /** The record's version when it is a checkpoint of the model, -1 otherwise. */
    private static long versionOf(ConsumerRecord<byte[], byte[]> record, String modelName) {
        if (record.key() == null || !modelName.equals(new String(record.key(), StandardCharsets.UTF_8))) {
            return -1;
        }
        Header header = record.headers().lastHeader(CheckpointRecord.METADATA_HEADER);
        try {
            return CheckpointRecord.decodeMetadata(header == null ? null : header.value()).version();
        } catch (InvalidCheckpointException e) {
            Log.warnf("ignoring record at offset %d of %s-%d while looking for the last version: %s",
                    record.offset(), record.topic(), record.partition(), e.getMessage());
            return -1;
        }
    }
}
