package io.shipgan.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
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
        try (Admin admin = admin(broker)) {
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("shipgan.checkpoints"));

            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "shipgan.checkpoints");
            Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            assertEquals("compact", config.get("cleanup.policy").value());
            assertEquals("16777216", config.get("max.message.bytes").value());
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

    private static Admin admin(KafkaBroker broker) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000));
    }
}
