package io.shipgan.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The secured broker with real clients: each user may do what deploy/k8s/base/kafka/users.yaml allows it and
 * nothing else, and a client without valid credentials gets nothing at all.
 */
class KafkaBrokerSecurityTest {

    private static final String CHECKPOINTS = "shipgan.checkpoints";
    private static final String ROLLOUT_EVENTS = "shipgan.rollout-events";

    private static KafkaBroker broker;
    private static RecordMetadata trainerCheckpoint;

    @BeforeAll
    static void startSecuredBrokerAndPublishOneCheckpointAsTrainer() throws Exception {
        broker = KafkaBroker.startSecured();
        try (KafkaProducer<String, String> trainer = producer(KafkaBroker.TRAINER)) {
            trainerCheckpoint = trainer.send(new ProducerRecord<>(CHECKPOINTS, "shipgan", "checkpoint 1"))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void trainerWritesCheckpointsAndReadsThemBack() {
        assertEquals(0, trainerCheckpoint.offset());

        List<String> read = readAll(KafkaBroker.TRAINER, CHECKPOINTS);

        assertEquals(List.of("checkpoint 1"), read);
    }

    @Test
    void generatorReadsCheckpoints() {
        List<String> read = readAll(KafkaBroker.GENERATOR, CHECKPOINTS);

        assertEquals(List.of("checkpoint 1"), read);
    }

    @Test
    void generatorWritesRolloutEvents() throws Exception {
        try (KafkaProducer<String, String> generator = producer(KafkaBroker.GENERATOR)) {
            RecordMetadata written = generator.send(new ProducerRecord<>(ROLLOUT_EVENTS, "shipgan", "activated 1"))
                    .get(30, TimeUnit.SECONDS);

            assertEquals(ROLLOUT_EVENTS, written.topic());
            assertTrue(written.offset() >= 0);
        }
    }

    @Test
    void generatorCannotWriteCheckpoints() {
        try (KafkaProducer<String, String> generator = producer(KafkaBroker.GENERATOR)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> generator.send(new ProducerRecord<>(CHECKPOINTS, "shipgan", "forged checkpoint"))
                            .get(30, TimeUnit.SECONDS));

            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
        }
        assertFalse(readAll(KafkaBroker.TRAINER, CHECKPOINTS).contains("forged checkpoint"));
    }

    @Test
    void trainerCannotWriteRolloutEvents() {
        try (KafkaProducer<String, String> trainer = producer(KafkaBroker.TRAINER)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> trainer.send(new ProducerRecord<>(ROLLOUT_EVENTS, "shipgan", "forged event"))
                            .get(30, TimeUnit.SECONDS));

            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
        }
    }

    @Test
    void unknownUserIsRefused() {
        assertAuthenticationRefused(broker.clientProperties("mallory", "not-a-known-password"));
    }

    @Test
    void trainerWithWrongPasswordIsRefused() {
        assertAuthenticationRefused(broker.clientProperties(KafkaBroker.TRAINER, "wrong-password-123"));
    }

    @Test
    void clientWithoutCredentialsGetsNoAnswer() {
        Map<String, Object> plain = new HashMap<>(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
        try (Admin admin = Admin.create(plain)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(10, TimeUnit.SECONDS));

            assertInstanceOf(TimeoutException.class, refused.getCause());
        }
    }

    @Test
    void controllerListenerRefusesEveryoneButTheAdmin() {
        try (Admin trainer = Admin.create(controllerClient(KafkaBroker.TRAINER))) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> trainer.describeCluster().clusterId().get(20, TimeUnit.SECONDS));

            assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
        }
        try (Admin admin = Admin.create(controllerClient(KafkaBroker.ADMIN))) {
            String clusterId = assertDoesNotThrow(() -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS));

            assertFalse(clusterId.isEmpty());
        }
    }

    /**
     * An admin client of the controller listener (KIP-919) logging in by SASL/PLAIN, the only mechanism that
     * listener takes, as {@code user} with the user's own password.
     */
    private static Map<String, Object> controllerClient(String user) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, broker.controllerAddress());
        config.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"" + user + "\" password=\"" + password(user) + "\";");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15000);
        return config;
    }

    private static String password(String user) {
        return broker.clientProperties(user).get(SaslConfigs.SASL_JAAS_CONFIG)
                .replaceAll(".*password=\"([^\"]*)\".*", "$1");
    }

    private static void assertAuthenticationRefused(Map<String, String> credentials) {
        Map<String, Object> config = new HashMap<>(credentials);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15000);
        try (Admin admin = Admin.create(config)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(20, TimeUnit.SECONDS));

            assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
        }
    }

    private static KafkaProducer<String, String> producer(String user) {
        Map<String, Object> config = new HashMap<>(broker.clientProperties(user));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Every value on the topic's partition 0, read from the start without a consumer group. */
    private static List<String> readAll(String user, String topic) {
        Map<String, Object> config = new HashMap<>(broker.clientProperties(user));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20000);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }
}
