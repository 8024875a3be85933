package io.shipgan.trainer.publish;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointVersionsTest {

    @TempDir
    Path stateDir;

    @Test
    void versionsStartAtOneAndStrictlyIncrease() {
        CheckpointVersions versions = new CheckpointVersions(stateDir);

        assertEquals(0, versions.last());
        assertEquals(1, versions.next());
        assertEquals(2, versions.next());
        assertEquals(3, versions.next());
        assertEquals(3, versions.last());
    }

    @Test
    void versionsContinueAfterARestartFromTheStateFolder() throws IOException {
        new CheckpointVersions(stateDir).next();
        new CheckpointVersions(stateDir).next();

        CheckpointVersions restarted = new CheckpointVersions(stateDir);

        assertEquals(2, restarted.last());
        assertEquals(3, restarted.next());
        assertEquals("3", Files.readString(stateDir.resolve("last-version")).trim());
    }

    @Test
    void aNewerVersionOnTheTopicWinsOverTheStateFolder() {
        CheckpointVersions versions = new CheckpointVersions(stateDir);
        versions.next();

        versions.continueAfter(41);

        assertEquals(42, versions.next());
    }

    @Test
    void anOlderVersionOnTheTopicDoesNotTurnVersionsBack() {
        CheckpointVersions versions = new CheckpointVersions(stateDir);
        versions.next();
        versions.next();

        versions.continueAfter(1);

        assertEquals(3, versions.next());
    }

    @Test
    void aCorruptStateFileFailsNamingTheFile() throws IOException {
        Files.writeString(stateDir.resolve("last-version"), "seven");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CheckpointVersions(stateDir));

        assertTrue(e.getMessage().contains(stateDir.resolve("last-version").toString()), e.getMessage());
    }

    @Test
    void theStateFileIsReplacedWithoutLeavingTemporaryFiles() throws IOException {
        CheckpointVersions versions = new CheckpointVersions(stateDir);
        for (int i = 0; i < 5; i++) {
            versions.next();
        }

        try (var files = Files.list(stateDir)) {
            assertEquals(java.util.List.of(stateDir.resolve("last-version")), files.toList());
        }
    }
}
