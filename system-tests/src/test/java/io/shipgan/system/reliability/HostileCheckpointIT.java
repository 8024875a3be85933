package io.shipgan.system.reliability;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.databind.JsonNode;
import io.shipgan.checkpoint.CheckpointMetadata;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.checkpoint.CheckpointSignature;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.TestCheckpoints;
import io.shipgan.system.ServiceProcess;
import io.shipgan.testing.KafkaBroker;
import io.shipgan.testing.LoopbackPorts;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Promise 4: hostile checkpoint records on the real topic are all refused, the old model keeps serving on both
 * real generator replicas, and each refusal is visible with its reason (the models view's rejected list) and its
 * cause (the rejected-checkpoints counter). Every hostile record claims a version newer than the serving one, and
 * all but the unsigned and badly signed ones carry the trainer's valid signature, so that the generator's own
 * checks, not the signature check alone, must catch them. A good checkpoint after all of them still activates.
 */
class HostileCheckpointIT {

    private static final String PROMISE = "4 hostile checkpoints";
    private static final Duration REJECTION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ACTIVATION_LIMIT = Duration.ofSeconds(10);
    private static final long SEED = 7;
    private static final long FIRST_VERSION = 1;
    private static final long SERVING_VERSION = 2;
    private static final long GOOD_AFTER_VERSION = 1000;

    private static KafkaBroker broker;
    private static CheckpointSender sender;
    private static List<GeneratorReplica> replicas;

    /** What a hostile record should come to. */
    private enum Expect {
        /** Every replica lists and counts it as rejected, under {@link Hostile#cause}. */
        REJECTED,
        /** A record of another model: no replica of this model looks at it, none serves it. */
        IGNORED,
        /** Kafka itself refuses to take it; no replica ever sees it. */
        REFUSED_BY_KAFKA
    }

    /** Publishes one hostile record claiming {@code version}. */
    private interface Publish {
        void publish(long version) throws Exception;
    }

    /**
     * One hostile record.
     *
     * @param name   what is wrong with it, for the figures table
     * @param expect what should come of it
     * @param cause  the counter's cause label for a rejection
     * @param reason a part of the listed reason that names what was wrong
     */
    private record Hostile(String name, Expect expect, String cause, String reason, Publish publish) {
    }

    @BeforeAll
    static void startStack() throws Exception {
        broker = KafkaBroker.start();
        sender = CheckpointSender.withNewTrainerKey(broker.bootstrapServers());
        replicas = new ArrayList<>();
        for (int number = 1; number <= 2; number++) {
            replicas.add(GeneratorReplica.start(number, LoopbackPorts.free(), broker.bootstrapServers(),
                    sender.publicKeyFile()));
        }
        for (GeneratorReplica replica : replicas) {
            replica.awaitLive(Duration.ofSeconds(90));
        }
        sender.publishGood(FIRST_VERSION, 1);
        sender.publishGood(SERVING_VERSION, 2);
        for (GeneratorReplica replica : replicas) {
            replica.awaitActiveVersion(version -> version == SERVING_VERSION, Duration.ofSeconds(60));
        }
    }

    @AfterAll
    static void stopStack() {
        if (replicas != null) {
            ServiceProcess.closeAll(replicas.toArray(AutoCloseable[]::new));
        }
        ServiceProcess.closeAll(sender, broker);
    }

    @Test
    void refusesEveryHostileCheckpointWhileTheOldModelServesAndAGoodOneStillActivates() throws Exception {
        Map<GeneratorReplica, byte[]> before = new HashMap<>();
        for (GeneratorReplica replica : replicas) {
            before.put(replica, replica.image(SEED).bytes());
        }
        List<Hostile> cases = hostileCases();
        long version = SERVING_VERSION + 10;
        int refused = 0;
        int keptServing = 0;
        List<String> details = new ArrayList<>();
        // Counted from here on, so that a record that should be ignored but is rejected shows in the next count.
        Map<GeneratorReplica, Long> expectedRejections = new HashMap<>();
        for (GeneratorReplica replica : replicas) {
            expectedRejections.put(replica, rejectedTotal(replica.metrics()));
        }

        for (Hostile hostile : cases) {
            Outcome outcome = switch (hostile.expect()) {
                case REJECTED -> awaitRejection(hostile, version++, expectedRejections);
                case IGNORED -> publishIgnored(hostile, version++);
                case REFUSED_BY_KAFKA -> publishRefused(hostile, version++);
            };
            refused += outcome.held() ? 1 : 0;
            details.add(hostile.name() + ": " + outcome.measured());
            System.out.println("hostile checkpoint, " + hostile.name() + ": " + outcome.measured());
            Promises.require(PROMISE, hostile.name(), outcome.measured(), refusalLimit(hostile.expect()),
                    outcome.held(), outcome.detail());
            for (GeneratorReplica replica : replicas) {
                GeneratorReplica.Image after = replica.image(SEED);
                boolean same = after.version() == SERVING_VERSION && Arrays.equals(before.get(replica), after.bytes());
                keptServing += same ? 1 : 0;
                if (!same) {
                    Promises.require(PROMISE, "old model kept serving", "no: after '" + hostile.name() + "' "
                            + replica.id() + " serves version " + after.version(), "every case, both replicas",
                            false, replica.process().logTail());
                }
            }
        }
        int checks = cases.size() * replicas.size();
        Promises.require(PROMISE, "hostile records refused", refused + "/" + cases.size(),
                cases.size() + "/" + cases.size(), refused == cases.size(), String.join("\n", details));
        Promises.require(PROMISE, "old model kept serving (seed " + SEED + " bytes identical)",
                keptServing + "/" + checks + " checks", checks + "/" + checks, keptServing == checks, "");

        Instant published = Instant.now();
        sender.publishGood(GOOD_AFTER_VERSION, 3);
        for (GeneratorReplica replica : replicas) {
            replica.awaitActiveVersion(active -> active == GOOD_AFTER_VERSION, Duration.ofSeconds(60));
        }
        Duration activation = Duration.between(published, Instant.now());
        Promises.require(PROMISE, "a good checkpoint after them activates on both replicas",
                activation.toMillis() + " ms", "≤ " + ACTIVATION_LIMIT.toMillis() + " ms",
                activation.compareTo(ACTIVATION_LIMIT) <= 0, "");
        for (GeneratorReplica replica : replicas) {
            assertEquals(GOOD_AFTER_VERSION, replica.image(SEED).version());
            assertEquals(expectedRejections.get(replica), rejectedTotal(replica.metrics()),
                    "the good checkpoint and the ignored record are no rejections on " + replica.id());
        }
    }

    /** What came of one hostile record: whether it was refused as expected, in words for the table. */
    private record Outcome(boolean held, String measured, String detail) {
    }

    /** Publishes and waits until every replica counted one more rejection of the expected cause and reason. */
    private static Outcome awaitRejection(Hostile hostile, long version, Map<GeneratorReplica, Long> expected)
            throws Exception {
        Map<GeneratorReplica, Long> causeBefore = new HashMap<>();
        for (GeneratorReplica replica : replicas) {
            causeBefore.put(replica, GeneratorReplica.rejected(replica.metrics(), hostile.cause()));
        }
        hostile.publish().publish(version);
        String reason = "";
        List<String> broken = new ArrayList<>();
        for (GeneratorReplica replica : replicas) {
            long wanted = expected.merge(replica, 1L, Long::sum);
            String metrics = awaitRejectedTotal(replica, wanted);
            long total = rejectedTotal(metrics);
            long ofCause = GeneratorReplica.rejected(metrics, hostile.cause()) - causeBefore.get(replica);
            JsonNode newest = replica.models().path("rejected").path(0);
            reason = newest.path("reason").asText();
            if (total != wanted || ofCause != 1 || !reason.contains(hostile.reason())) {
                broken.add(replica.id() + ": " + (total - wanted + 1) + " rejections counted, " + ofCause
                        + " of cause " + hostile.cause() + ", newest listed " + newest + "\n"
                        + replica.process().logTail());
            }
        }
        return broken.isEmpty()
                ? new Outcome(true, "rejected " + replicas.size() + "/" + replicas.size() + ", " + hostile.cause()
                        + ": " + abbreviate(reason), "")
                : new Outcome(false, "not rejected as expected on " + broken.size() + " replicas",
                        String.join("\n", broken));
    }

    private static String awaitRejectedTotal(GeneratorReplica replica, long wanted) throws Exception {
        Instant deadline = Instant.now().plus(REJECTION_TIMEOUT);
        while (true) {
            String metrics = replica.metrics();
            if (rejectedTotal(metrics) >= wanted || Instant.now().isAfter(deadline)) {
                return metrics;
            }
            Thread.sleep(50);
        }
    }

    /** Publishes a record no replica of this model should look at; the next rejection count proves it did not. */
    private static Outcome publishIgnored(Hostile hostile, long version) throws Exception {
        hostile.publish().publish(version);
        return new Outcome(true, "ignored " + replicas.size() + "/" + replicas.size()
                + " (not their model), never served", "");
    }

    /** Publishes a record Kafka must refuse, and checks that the topic did not grow. */
    private static Outcome publishRefused(Hostile hostile, long version) throws Exception {
        long end = sender.endOffset();
        String refusal = null;
        try {
            hostile.publish().publish(version);
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            refusal = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        long after = sender.endOffset();
        boolean held = refusal != null && after == end;
        return new Outcome(held, held ? "refused: " + abbreviate(refusal) : "taken: the topic went from " + end
                + " to " + after + " records", "");
    }

    private static String refusalLimit(Expect expect) {
        return switch (expect) {
            case REJECTED -> "rejected 2/2, reason listed";
            case IGNORED -> "never served";
            case REFUSED_BY_KAFKA -> "refused, topic unchanged";
        };
    }

    /** A reason short enough for a table cell; the whole one is in the log. */
    private static String abbreviate(String reason) {
        String oneLine = reason.replace('|', '/').replace('\n', ' ');
        return oneLine.length() <= 110 ? oneLine : oneLine.substring(0, 109) + "…";
    }

    private static long rejectedTotal(String metrics) {
        return (long) GeneratorReplica.sample(metrics, "shipgan_generator_checkpoints_rejected_total", "");
    }

    /** The hostile records, in the order they are published. */
    private static List<Hostile> hostileCases() throws Exception {
        byte[] good = CheckpointSender.trainerSizedModel(11);
        byte[] servingRecordMetadata = CheckpointRecord.encodeMetadata(CheckpointSender.metadata(SERVING_VERSION,
                CheckpointSender.trainerSizedModel(2)));
        byte[] servingRecordSignature = sender.sign(CheckpointSender.MODEL, servingRecordMetadata);
        byte[] garbage = randomBytes(1 << 20);
        byte[] limitGarbage = randomBytes(CheckpointRecord.MAX_RECORD_BYTES - 64 * 1024);
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        byte[] wrongOutput = GeneratorModels.dense(12).sampleShape(3, 64, 64).build();
        byte[] wrongInputName = GeneratorModels.trainerSized(13).conditional().inputName("z").build();
        byte[] wrongLabelShape = GeneratorModels.dcgan(14).labelInputAs(TensorProto.DataType.INT64, 2).build();
        byte[] nan = GeneratorModels.trainerSized(15).conditional().nanOutput().build();
        byte[] halfNan = GeneratorModels.trainerSized(16).conditional().nanWhenFirstLatentAbove(0f).build();
        byte[] quarterNan = GeneratorModels.trainerSized(17).conditional().nanWhenFirstLatentAbove(0.6f).build();
        byte[] oversized = randomBytes(CheckpointRecord.MAX_RECORD_BYTES + 1);

        return List.of(
                rejected("garbage bytes (1 MiB)", "validation", "ONNX Runtime cannot load it",
                        version -> sender.publishSigned(CheckpointSender.metadata(version, garbage), garbage)),
                rejected("garbage bytes at the 16 MiB limit", "validation", "ONNX Runtime cannot load it",
                        version -> sender.publishSigned(CheckpointSender.metadata(version, limitGarbage),
                                limitGarbage)),
                rejected("truncated ONNX (first half)", "validation", "ONNX Runtime cannot load it",
                        version -> sender.publishSigned(CheckpointSender.metadata(version, truncated), truncated)),
                rejected("wrong SHA-256 in metadata", "validation", "SHA-256 mismatch",
                        version -> sender.publishSigned(withDigest(CheckpointSender.metadata(version, good),
                                CheckpointRecord.sha256Hex(garbage), good.length), good)),
                rejected("size claim lies (within the limit)", "validation", "size mismatch",
                        version -> sender.publishSigned(withDigest(CheckpointSender.metadata(version, good),
                                CheckpointRecord.sha256Hex(good), good.length + 1), good)),
                rejected("wrong output shape (3×64×64)", "validation", "output 'image' has shape",
                        version -> sender.publishSigned(TestCheckpoints.metadata(version, wrongOutput), wrongOutput)),
                rejected("wrong input name ('z')", "validation", "graph inputs",
                        version -> sender.publishSigned(CheckpointSender.metadata(version, wrongInputName),
                                wrongInputName)),
                rejected("wrong latent shape (metadata says 128)", "validation", "input 'latent' has shape",
                        version -> sender.publishSigned(withLatentSize(CheckpointSender.metadata(version, good), 128),
                                good)),
                rejected("wrong label input shape ([N, 2])", "validation", "input 'label' has shape",
                        version -> sender.publishSigned(CheckpointSender.metadata(version, wrongLabelShape),
                                wrongLabelShape)),
                rejected("NaN output", "validation", "gave NaN",
                        version -> sender.publishSigned(CheckpointSender.metadata(version, nan), nan)),
                rejected("NaN for half the latent space", "validation", "gave NaN",
                        version -> sender.publishSigned(CheckpointSender.metadata(version, halfNan), halfNan)),
                rejected("NaN for a quarter of the latent space (first value > 0.6)", "validation", "gave NaN",
                        version -> sender.publishSigned(CheckpointSender.metadata(version, quarterNan), quarterNan)),
                refused("oversized record (16 MiB + 1 byte), trainer's producer limit",
                        version -> sender.publishSigned(CheckpointSender.metadata(version, oversized), oversized)),
                refused("oversized record (16 MiB + 1 byte), past a producer without the limit",
                        version -> publishPastTheProducerLimit(version, oversized)),
                rejected("no metadata header", "metadata", "has no shipgan.checkpoint.metadata header",
                        version -> sender.send(CheckpointSender.MODEL, good, null, null)),
                rejected("malformed metadata JSON", "metadata", "metadata header is not valid JSON",
                        version -> {
                            byte[] json = ("{\"formatVersion\":1,\"version\":" + version + ",\"sha256\":")
                                    .getBytes(StandardCharsets.UTF_8);
                            sender.send(CheckpointSender.MODEL, good, json, sender.sign(CheckpointSender.MODEL, json));
                        }),
                rejected("unsigned record", "signature", "record is not signed",
                        version -> {
                            byte[] json = CheckpointRecord.encodeMetadata(CheckpointSender.metadata(version, good));
                            sender.send(CheckpointSender.MODEL, good, json, null);
                        }),
                rejected("signed with another key", "signature", "does not verify with the trusted trainer key",
                        version -> {
                            byte[] json = CheckpointRecord.encodeMetadata(CheckpointSender.metadata(version, good));
                            sender.send(CheckpointSender.MODEL, good, json, CheckpointSignature.sign(
                                    CheckpointSender.strangersKey(), CheckpointSender.MODEL, json));
                        }),
                rejected("valid signature replayed onto other metadata", "signature",
                        "does not verify with the trusted trainer key",
                        version -> {
                            byte[] json = CheckpointRecord.encodeMetadata(CheckpointSender.metadata(version, good));
                            sender.send(CheckpointSender.MODEL, good, json, servingRecordSignature);
                        }),
                rejected("valid signature and metadata replayed onto other bytes", "validation", "SHA-256 mismatch",
                        version -> sender.send(CheckpointSender.MODEL, good, servingRecordMetadata,
                                servingRecordSignature)),
                ignored("record of another model name",
                        version -> sender.publishSigned(withModelName(CheckpointSender.metadata(version, good),
                                "shipgan-other"), good)),
                rejected("metadata of another model under this key", "metadata", "metadata names model",
                        version -> {
                            byte[] json = CheckpointRecord.encodeMetadata(withModelName(
                                    CheckpointSender.metadata(version, good), "shipgan-other"));
                            sender.send(CheckpointSender.MODEL, good, json, sender.sign(CheckpointSender.MODEL, json));
                        }),
                rejected("older version (the trainer's own record of version 1, replayed)", "older-version",
                        "is older than the active version",
                        version -> sender.publishGood(FIRST_VERSION, 1)));
    }

    private static Hostile rejected(String name, String cause, String reason, Publish publish) {
        return new Hostile(name, Expect.REJECTED, cause, reason, publish);
    }

    private static Hostile ignored(String name, Publish publish) {
        return new Hostile(name, Expect.IGNORED, null, null, publish);
    }

    private static Hostile refused(String name, Publish publish) {
        return new Hostile(name, Expect.REFUSED_BY_KAFKA, null, null, publish);
    }

    /** Sends through a producer allowed twice the record limit, so that only the broker stands in the way. */
    private static void publishPastTheProducerLimit(long version, byte[] onnx) throws Exception {
        byte[] json = CheckpointRecord.encodeMetadata(CheckpointSender.metadata(version, onnx));
        try (KafkaProducer<String, byte[]> unlimited = CheckpointSender.producer(sender.bootstrapServers(),
                2 * CheckpointRecord.MAX_RECORD_BYTES)) {
            CheckpointSender.send(unlimited, CheckpointSender.MODEL, onnx, json,
                    sender.sign(CheckpointSender.MODEL, json));
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static CheckpointMetadata withDigest(CheckpointMetadata m, String sha256, long sizeBytes) {
        return new CheckpointMetadata(m.formatVersion(), m.modelName(), m.version(), sha256, sizeBytes,
                m.createdAt(), m.step(), m.epoch(), m.latentSize(), m.labels(), m.inputName(), m.outputName(),
                m.outputShape(), m.losses(), m.scores(), m.trainingSeed());
    }

    private static CheckpointMetadata withLatentSize(CheckpointMetadata m, int latentSize) {
        return new CheckpointMetadata(m.formatVersion(), m.modelName(), m.version(), m.sha256(), m.sizeBytes(),
                m.createdAt(), m.step(), m.epoch(), latentSize, m.labels(), m.inputName(), m.outputName(),
                m.outputShape(), m.losses(), m.scores(), m.trainingSeed());
    }

    private static CheckpointMetadata withModelName(CheckpointMetadata m, String modelName) {
        return new CheckpointMetadata(m.formatVersion(), modelName, m.version(), m.sha256(), m.sizeBytes(),
                m.createdAt(), m.step(), m.epoch(), m.latentSize(), m.labels(), m.inputName(), m.outputName(),
                m.outputShape(), m.losses(), m.scores(), m.trainingSeed());
    }
}
