package io.shipgan.trainer.publish;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbox's order and durability with a broker stand-in that refuses a given number of sends; the real broker
 * going away and coming back is TrainerServiceTest's and the reliability suite's subject.
 */
class CheckpointOutboxTest {

    private static final String MODEL = "shipgan-dcgan";
    private static final Duration PAUSE = Duration.ofMillis(20);

    @TempDir
    Path state;

    private final List<Long> sent = new CopyOnWriteArrayList<>();
    private final List<Long> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private CheckpointOutbox outbox;

    @AfterEach
    void close() {
        if (outbox != null) {
            outbox.close();
        }
    }

    @Test
    void checkpointsStoredWhileTheBrokerRefusesAreSentInVersionOrderWhenItTakesThemAgain() throws Exception {
        refusals.set(5);
        outbox = outbox();
        for (long version = 1; version <= 3; version++) {
            outbox.add(version, onnx(version), metadata(version));
        }

        awaitPublished(3);

        assertEquals(List.of(1L, 2L, 3L), sent, "each sent once, oldest first, after the refusals");
        assertEquals(5, failures.size());
        assertTrue(failures.stream().allMatch(version -> version == 1), "only the oldest is tried: " + failures);
        assertEquals("3", Files.readString(state.resolve(CheckpointOutbox.PUBLISHED_FILE)).trim());
        assertEquals(0, outbox.pendingCount());
    }

    @Test
    void aRestartSendsWhatWasPendingAndNothingThatWasAcknowledged() throws Exception {
        outbox = outbox();
        outbox.add(1, onnx(1), metadata(1));
        awaitPublished(1);
        outbox.close();
        // Stored by a run that was killed before the broker took them.
        for (long version = 2; version <= 4; version++) {
            onnx(version);
            Files.write(state.resolve(MODEL + "-v" + version + ".json"), metadata(version));
        }
        // Version 2 has metadata but its ONNX file never got written: not a checkpoint.
        Files.delete(state.resolve(MODEL + "-v2.onnx"));
        sent.clear();

        outbox = outbox();
        outbox.recover(0);
        awaitPublished(4);

        assertEquals(List.of(3L, 4L), sent);
    }

    @Test
    void checkpointsNoNewerThanTheTopicAreNotSentAgain() throws Exception {
        for (long version = 1; version <= 3; version++) {
            onnx(version);
            Files.write(state.resolve(MODEL + "-v" + version + ".json"), metadata(version));
        }

        outbox = outbox();
        outbox.recover(2);
        awaitPublished(3);

        assertEquals(List.of(3L), sent);
    }

    private CheckpointOutbox outbox() {
        return new CheckpointOutbox(state, MODEL, (version, model, metadata, onnx) -> {
            assertEquals(MODEL, model);
            assertEquals(Long.toString(version), new String(metadata, StandardCharsets.UTF_8));
            assertEquals("onnx " + version, new String(onnx, StandardCharsets.UTF_8));
            if (refusals.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new IllegalStateException("broker away");
            }
            sent.add(version);
        }, new CheckpointOutbox.Listener() {
            @Override
            public void published(long version, long attempts) {
            }

            @Override
            public void failed(long version, long attempts, RuntimeException cause) {
                failures.add(version);
            }
        }, PAUSE, PAUSE.multipliedBy(4));
    }

    private Path onnx(long version) throws IOException {
        return Files.writeString(state.resolve(MODEL + "-v" + version + ".onnx"), "onnx " + version);
    }

    /** The stand-in metadata is the version alone, so the sender can check it was handed the right one. */
    private static byte[] metadata(long version) {
        return Long.toString(version).getBytes(StandardCharsets.UTF_8);
    }

    private void awaitPublished(long version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (outbox.lastPublished() < version) {
            assertTrue(System.nanoTime() < deadline, "version " + version + " not published; sent " + sent);
            Thread.sleep(10);
        }
    }
}
