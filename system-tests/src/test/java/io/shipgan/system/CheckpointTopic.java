package io.shipgan.system;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the checkpoint topic of a test broker from its beginning, as a generator would. */
public final class CheckpointTopic {

    private CheckpointTopic() {
    }

    /** Every record on the checkpoint topic now, in offset order. */
    public static List<ConsumerRecord<String, byte[]>> records(String bootstrapServers) {
        return records(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                CheckpointRecord.DEFAULT_TOPIC);
    }

    /**
     * Every record on partition 0 of {@code topic} now, in offset order, read by a client with the given
     * settings (the broker's address and, for a secured broker, a user's login).
     */
    public static List<ConsumerRecord<String, byte[]>> records(Map<String, ?> clientProperties, String topic) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, CheckpointRecord.MAX_RECORD_BYTES);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, CheckpointRecord.MAX_RECORD_BYTES);
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (consumer.position(partition) < end && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

    /** The metadata of every record that has a metadata header, in offset order. */
    public static List<CheckpointMetadata> metadata(String bootstrapServers) {
        return records(bootstrapServers).stream()
                .map(CheckpointTopic::metadataHeader)
                .filter(header -> header != null)
                .map(CheckpointRecord::decodeMetadata)
                .toList();
    }

    public static byte[] metadataHeader(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(CheckpointRecord.METADATA_HEADER);
        return header == null ? null : header.value();
    }
}
