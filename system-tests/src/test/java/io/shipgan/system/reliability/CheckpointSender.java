package io.shipgan.system.reliability;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.CheckpointSignature;
import io.shipgan.checkpoint.SigningKeys;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.TestCheckpoints;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends checkpoint records to a test broker in the trainer's place: trainer-sized conditional checkpoints signed
 * with a test trainer key whose public half the generators are told to trust, or records broken in any one part
 * (bytes, metadata, key, signature) for the hostile-checkpoint tests.
 */
final class CheckpointSender implements AutoCloseable {

    static final String MODEL = TestCheckpoints.MODEL_NAME;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final PrivateKey signingKey;
    private final Path publicKeyFile;
    private final KafkaProducer<String, byte[]> producer;

    private CheckpointSender(String bootstrapServers, PrivateKey signingKey, Path publicKeyFile) {
        this.bootstrapServers = bootstrapServers;
        this.signingKey = signingKey;
        this.publicKeyFile = publicKeyFile;
        this.producer = producer(bootstrapServers, CheckpointRecord.MAX_RECORD_BYTES);
    }

    /** A sender with a new trainer key pair, written to a temporary folder. */
    static CheckpointSender withNewTrainerKey(String bootstrapServers) throws IOException {
        Path keys = Files.createTempDirectory("shipgan-reliability-keys-");
        Path privateKey = keys.resolve("trainer-signing.pem");
        Path publicKey = keys.resolve("trainer-signing.pub.pem");
        SigningKeys.write(SigningKeys.generate(), privateKey, publicKey);
        return new CheckpointSender(bootstrapServers, SigningKeys.readPrivateKey(privateKey), publicKey);
    }

    /** The file the generators trust ({@code shipgan.generator.trust.public-key-file}). */
    Path publicKeyFile() {
        return publicKeyFile;
    }

    /** A producer like the trainer's, but allowed records of up to {@code maxRequestBytes}. */
    static KafkaProducer<String, byte[]> producer(String bootstrapServers, int maxRequestBytes) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** The ONNX bytes of the trainer's default conditional generator (about 5.4 MB) with these weights. */
    static byte[] trainerSizedModel(long weightSeed) {
        return GeneratorModels.trainerSized(weightSeed).conditional().build();
    }

    /** Metadata that truthfully describes {@code onnx} as conditional checkpoint {@code version}. */
    static CheckpointMetadata metadata(long version, byte[] onnx) {
        return TestCheckpoints.conditionalMetadata(version, onnx, TestCheckpoints.SHIP_LABELS);
    }

    /** The signature header the trainer would put on a record with this key and metadata. */
    byte[] sign(String recordKey, byte[] metadataJson) {
        return CheckpointSignature.sign(signingKey, recordKey, metadataJson);
    }

    /** Publishes a good, signed trainer-sized checkpoint, as the trainer would. */
    void publishGood(long version, long weightSeed) throws Exception {
        byte[] onnx = trainerSizedModel(weightSeed);
        publishSigned(metadata(version, onnx), onnx);
    }

    /** Publishes {@code onnx} under this metadata, keyed by the metadata's model name and signed as the trainer. */
    void publishSigned(CheckpointMetadata metadata, byte[] onnx) throws Exception {
        byte[] json = CheckpointRecord.encodeMetadata(metadata);
        send(metadata.modelName(), onnx, json, sign(metadata.modelName(), json));
    }

    /** Publishes exactly these parts; a null header is left out. */
    void send(String key, byte[] onnx, byte[] metadataHeader, byte[] signatureHeader) throws Exception {
        send(producer, key, onnx, metadataHeader, signatureHeader);
    }

    /** Publishes exactly these parts with {@code through}; a null header is left out. */
    static void send(KafkaProducer<String, byte[]> through, String key, byte[] onnx, byte[] metadataHeader,
                     byte[] signatureHeader) throws InterruptedException, ExecutionException, TimeoutException {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(CheckpointRecord.DEFAULT_TOPIC, key, onnx);
        if (metadataHeader != null) {
            record.headers().add(CheckpointRecord.METADATA_HEADER, metadataHeader);
        }
        if (signatureHeader != null) {
            record.headers().add(CheckpointSignature.HEADER, signatureHeader);
        }
        through.send(record).get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The checkpoint topic's end offset: how many records it holds. */
    long endOffset() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(CheckpointRecord.DEFAULT_TOPIC, 0);
            return consumer.endOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition);
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** A private key the generators do not trust, for signing as someone else. */
    static PrivateKey strangersKey() {
        return SigningKeys.generate().getPrivate();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
