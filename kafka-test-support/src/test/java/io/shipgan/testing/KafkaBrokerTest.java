package io.shipgan.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaBrokerTest {

    @Test
    void startsBrokerWithCompactedCheckpointTopicAndStopsIt() throws Exception {
        KafkaBroker broker = KafkaBroker.start();
        assertFalse(broker.secured());
        assertEquals(Map.of("bootstrap.servers", broker.bootstrapServers()), broker.clientProperties("anyone"));
        try (Admin admin = admin(broker)) {
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("shipgan.checkpoints"));

            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "shipgan.checkpoints");
            Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            assertEquals("compact", config.get("cleanup.policy").value());
            assertEquals("16777216", config.get("max.message.bytes").value());
            assertEquals(0, writeWithoutCredentials(broker).offset(), "the plaintext broker has no authorizer");
        } finally {
            broker.stop();
        }

        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000))) {
            assertThrows(Exception.class, () -> admin.listTopics().names().get(3, TimeUnit.SECONDS));
        }
        broker.close();
        assertFalse(Files.exists(broker.directory()), "close() leaves no storage behind");
    }

    private static RecordMetadata writeWithoutCredentials(KafkaBroker broker) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 10000),
                new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>("shipgan.checkpoints", "shipgan", "anyone's checkpoint"))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static Admin admin(KafkaBroker broker) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000));
    }
}
