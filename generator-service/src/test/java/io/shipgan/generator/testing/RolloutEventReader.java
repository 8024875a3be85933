package io.shipgan.generator.testing;

import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads the rollout events topic from its beginning with a plain consumer, as an operator's tool would. */
public final class RolloutEventReader implements AutoCloseable {

    /**
     * One event as found on the topic.
     *
     * @param key  the record key (model name)
     * @param json the record value
     */
    public record Received(String key, JsonPath json) {

        public String event() {
            return json.getString("event");
        }

        public Long version() {
            return json.get("version") == null ? null : json.getLong("version");
        }

        public String reason() {
            return json.getString("reason");
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Received> received = new ArrayList<>();

    public RolloutEventReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000),
                new StringDeserializer(), new StringDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /** Polls until every condition is met by some event read so far, or the wait is over; returns all read. */
    @SafeVarargs
    public final List<Received> awaitEvents(Duration wait, Predicate<Received>... wanted) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline && !allFound(wanted)) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                received.add(new Received(record.key(), new JsonPath(record.value())));
            }
        }
        return List.copyOf(received);
    }

    private boolean allFound(Predicate<Received>[] wanted) {
        for (Predicate<Received> condition : wanted) {
            if (received.stream().noneMatch(condition)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
