package io.shipgan.checkpoint;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointRecordTest {

    private static CheckpointMetadata sample(int formatVersion) {
        return new CheckpointMetadata(formatVersion, "shipgan-dcgan", 7, "ab", 2, Instant.parse("2026-12-04T10:15:30Z"),
                400, 3, 100, List.of(), "latent", "image", List.of(3, 80, 80),
                Map.of("generator", 1.25, "discriminator", 0.5), Map.of(), 42);
    }

    @Test
    void metadataSurvivesJsonRoundTrip() {
        CheckpointMetadata original = sample(CheckpointRecord.FORMAT_VERSION);

        byte[] json = CheckpointRecord.encodeMetadata(original);
        CheckpointMetadata decoded = CheckpointRecord.decodeMetadata(json);

        assertEquals(original, decoded);
        assertEquals(19200, decoded.outputValuesPerSample());
        assertTrue(new String(json, StandardCharsets.UTF_8).contains("\"createdAt\":\"2026-12-04T10:15:30Z\""));
    }

    @Test
    void sha256MatchesKnownDigest() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                CheckpointRecord.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void rejectsMissingMetadata() {
        InvalidCheckpointException e = assertThrows(InvalidCheckpointException.class,
                () -> CheckpointRecord.decodeMetadata(null));
        assertTrue(e.getMessage().contains(CheckpointRecord.METADATA_HEADER));
    }

    @Test
    void rejectsMetadataThatIsNotJson() {
        assertThrows(InvalidCheckpointException.class,
                () -> CheckpointRecord.decodeMetadata("{not json".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rejectsNewerFormat() {
        byte[] json = CheckpointRecord.encodeMetadata(sample(CheckpointRecord.FORMAT_VERSION + 1));

        InvalidCheckpointException e = assertThrows(InvalidCheckpointException.class,
                () -> CheckpointRecord.decodeMetadata(json));
        assertTrue(e.getMessage().contains("unsupported metadata format"));
    }
}
