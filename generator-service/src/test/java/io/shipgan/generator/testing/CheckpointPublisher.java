package io.shipgan.generator.testing;

import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Publishes checkpoint records the way the trainer does, with a plain producer, for tests on the real broker. */
public final class CheckpointPublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    public CheckpointPublisher(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, CheckpointRecord.MAX_RECORD_BYTES,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A good checkpoint: the DCGAN-shaped test generator with weights from {@code weightSeed}. */
    public void publishGood(long version, long weightSeed) {
        byte[] onnx = GeneratorModels.dcgan(weightSeed).build();
        publish(TestCheckpoints.metadata(version, onnx), onnx);
    }

    /** A checkpoint whose metadata carries a SHA-256 that does not match its bytes. */
    public void publishWithWrongSha256(long version) {
        byte[] onnx = GeneratorModels.dcgan(version).build();
        publish(TestCheckpoints.metadata(version, onnx, "0f".repeat(32), List.of(3, 80, 80)), onnx);
    }

    public void publish(CheckpointMetadata metadata, byte[] onnx) {
        publish(metadata, onnx, Map.of());
    }

    /** A record as the trainer sends it, with {@code extraHeaders} (e.g. a {@code traceparent}) beside the metadata. */
    public void publish(CheckpointMetadata metadata, byte[] onnx, Map<String, String> extraHeaders) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(CheckpointRecord.DEFAULT_TOPIC,
                metadata.modelName().getBytes(StandardCharsets.UTF_8), onnx);
        record.headers().add(CheckpointRecord.METADATA_HEADER, CheckpointRecord.encodeMetadata(metadata));
        extraHeaders.forEach((key, value) -> record.headers().add(key, value.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publishing checkpoint " + metadata.version() + " failed", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
