package io.shipgan.system.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.SigningKeys;
import io.shipgan.system.CheckpointTopic;
import io.shipgan.system.ServiceProcess;
import io.shipgan.testing.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise 8, the Kafka half: the broker runs with the users and ACLs of the Kubernetes cluster (SASL/SCRAM-SHA-512,
 * nothing allowed that no ACL allows), the packaged trainer and generator each log in as their own user, and the
 * checkpoint still flows from training to serving, while a checkpoint written with the generator's credentials and
 * every client without valid credentials are refused by the broker. Not mirrored: TLS on the listener.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaAclIT {

    private static final String PROMISE = "8 access control";
    private static final String MODEL = "shipgan-dcgan";
    private static final String CHECKPOINTS = CheckpointRecord.DEFAULT_TOPIC;
    private static final String ROLLOUT_EVENTS = "shipgan.rollout-events";
    private static final String REPLICA = "acl-generator";
    private static final Duration FIRST_IMAGE_TIMEOUT = Duration.ofMinutes(5);

    private static KafkaBroker broker;
    private static ServiceProcess trainer;
    private static ServiceProcess generator;
    private static Instant started;

    @BeforeAll
    static void startSecuredStack() throws IOException {
        broker = KafkaBroker.startSecured();
        Path keys = Files.createTempDirectory("shipgan-acl-keys-");
        Path signingKey = keys.resolve("trainer-signing.pem");
        Path verifyingKey = keys.resolve("trainer-signing.pub.pem");
        SigningKeys.write(SigningKeys.generate(), signingKey, verifyingKey);
        started = Instant.now();

        Path state = Files.createTempDirectory("shipgan-acl-trainer-");
        Map<String, String> trainerConfig = ServiceProcess.tinyTrainer(broker.bootstrapServers(), state);
        trainerConfig.putAll(quarkusKafka(KafkaBroker.TRAINER));
        trainerConfig.put("shipgan.trainer.signing.private-key-file", signingKey.toString());
        trainer = ServiceProcess.start("trainer-service", trainerConfig);

        Map<String, String> generatorConfig = ServiceProcess.testGenerator(REPLICA,
                ServiceProcess.newModelCache("acl-generator-"), verifyingKey);
        generatorConfig.putAll(quarkusKafka(KafkaBroker.GENERATOR));
        generator = ServiceProcess.start("generator-service", generatorConfig);
    }

    /**
     * A user's client settings as Quarkus {@code kafka.*} keys: every Kafka client the services build (the
     * trainer's channel and version lookup, the generator's checkpoint follower and rollout events) takes them.
     * They go on the command line here, a throwaway password of a throwaway broker; ./shipgan passes them in the
     * environment.
     */
    private static Map<String, String> quarkusKafka(String user) {
        Map<String, String> config = new HashMap<>();
        broker.clientProperties(user).forEach((key, value) -> config.put("kafka." + key, value));
        return config;
    }

    @AfterAll
    static void stopStack() {
        ServiceProcess.closeAll(generator, trainer, broker);
    }

    @Test
    @Order(1)
    void trainersCheckpointIsServedByTheGeneratorUnderAcls() throws Exception {
        HttpResponse<byte[]> image = awaitFirstImage();
        long version = Long.parseLong(image.headers().firstValue("X-Model-Version").orElseThrow());
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(image.body()));
        assertNotNull(png, "body is not a PNG");
        assertEquals(80, png.getWidth());
        assertEquals(80, png.getHeight());

        String trainerLog = Files.readString(trainer.log());
        assertTrue(trainerLog.contains("checkpoint versions of " + MODEL + " continue after"),
                "the trainer's version lookup ran\n" + trainer.logTail());
        assertFalse(trainerLog.contains("cannot read the last version"),
                "the trainer's version lookup reads the topic as trainer-service\n" + trainer.logTail());
        assertTrue(awaitActivatedEvent(version), "the generator writes its rollout events as generator-service: "
                + rolloutEventsOf(REPLICA) + "\n" + generator.logTail());

        long seconds = Duration.between(started, Instant.now()).toSeconds();
        Promises.require(PROMISE, "Kafka: checkpoint flow under ACLs (trainer → generator → 80×80 PNG)",
                "version " + version + " served after " + seconds + " s", "works", true, "");
    }

    @Test
    @Order(2)
    void checkpointWrittenWithTheGeneratorsCredentialsIsRefused() throws Exception {
        byte[] forged = "not a checkpoint of the trainer".getBytes(StandardCharsets.UTF_8);
        Map<String, Throwable> attempts = new LinkedHashMap<>();
        attempts.put(KafkaBroker.GENERATOR, forgedWrite(broker.clientProperties(KafkaBroker.GENERATOR), forged));
        attempts.put("no credentials", forgedWrite(Map.of("bootstrap.servers", broker.bootstrapServers()), forged));
        attempts.put("unknown user", forgedWrite(broker.clientProperties("mallory", "guessed-password-1"), forged));

        long accepted = attempts.values().stream().filter(refusal -> refusal == null).count();
        boolean generatorDenied = attempts.get(KafkaBroker.GENERATOR) instanceof TopicAuthorizationException;
        boolean onTopic = checkpointValues().stream().anyMatch(value -> Arrays.equals(value, forged));
        Promises.require(PROMISE, "Kafka: forged checkpoint writes accepted",
                accepted + " of " + attempts.size(), "0", accepted == 0 && generatorDenied && !onTopic,
                "refusals: " + attempts + ", forged record on the topic: " + onTopic);
    }

    @Test
    @Order(3)
    void clientsWithoutValidCredentialsCannotConnect() {
        Map<String, Map<String, String>> clients = new LinkedHashMap<>();
        clients.put("unknown user", broker.clientProperties("mallory", "guessed-password-1"));
        clients.put("trainer-service, wrong password", broker.clientProperties(KafkaBroker.TRAINER, "wrong-pass-123"));
        clients.put("generator-service, trainer's password", broker.clientProperties(KafkaBroker.GENERATOR,
                broker.clientProperties(KafkaBroker.TRAINER).get("sasl.jaas.config")
                        .replaceAll(".*password=\"([^\"]*)\".*", "$1")));
        Map<String, Throwable> refusals = new LinkedHashMap<>();
        clients.forEach((name, config) -> refusals.put(name, listTopics(config)));
        Throwable plain = listTopics(Map.of("bootstrap.servers", broker.bootstrapServers()));

        long accepted = refusals.values().stream().filter(refusal -> !(refusal instanceof SaslAuthenticationException))
                .count() + (plain == null ? 1 : 0);
        Promises.require(PROMISE, "Kafka: unauthenticated connections accepted",
                accepted + " of " + (refusals.size() + 1), "0", accepted == 0,
                "refusals: " + refusals + ", no credentials: " + plain);
        Promises.report(PROMISE, "Kafka: not mirrored locally",
                "TLS (SASL_PLAINTEXT on 127.0.0.1), NetworkPolicy");
    }

    private static HttpResponse<byte[]> awaitFirstImage() {
        try {
            return generator.awaitImage("seed=7", FIRST_IMAGE_TIMEOUT, Duration.ofSeconds(1));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\ntrainer:\n" + trainer.logTail(), e);
        }
    }

    /** Whether the replica's "activated" event of the version reaches the rollout-events topic within 20 s. */
    private static boolean awaitActivatedEvent(long version) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        do {
            if (rolloutEventsOf(REPLICA).stream().anyMatch(event -> "activated".equals(event.path("event").asText())
                    && event.path("version").asLong() == version)) {
                return true;
            }
            ServiceProcess.sleep(Duration.ofMillis(500));
        } while (Instant.now().isBefore(deadline));
        return false;
    }

    /** Produces one record to the checkpoint topic; the broker's refusal, or null when it took the record. */
    private static Throwable forgedWrite(Map<String, String> credentials, byte[] value) {
        Map<String, Object> config = new HashMap<>(credentials);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(CHECKPOINTS, MODEL, value)).get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    /** Lists the topics with the given settings; the failure, or null when the broker answered. */
    private static Throwable listTopics(Map<String, String> credentials) {
        Map<String, Object> config = new HashMap<>(credentials);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(config)) {
            admin.listTopics().names().get(15, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    /** Every value on the checkpoint topic, read as the super user. */
    private static List<byte[]> checkpointValues() {
        List<byte[]> values = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : readAsAdmin(CHECKPOINTS)) {
            values.add(record.value());
        }
        return values;
    }

    /** The rollout events of one replica; only the super user reads that topic (no user in users.yaml does). */
    private static List<JsonNode> rolloutEventsOf(String replica) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : readAsAdmin(ROLLOUT_EVENTS)) {
            JsonNode event = CheckpointRecord.json().readTree(record.value());
            if (replica.equals(event.path("replica").asText())) {
                events.add(event);
            }
        }
        return events;
    }

    private static List<ConsumerRecord<String, byte[]>> readAsAdmin(String topic) {
        return CheckpointTopic.records(broker.clientProperties(KafkaBroker.ADMIN), topic);
    }
}
