package io.shipgan.trainer.export;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AtomicFilesTest {

    @TempDir
    Path folder;

    @Test
    void leftoversOfInterruptedWritesAreRemovedAndTheirTargetsKept() throws Exception {
        AtomicFiles.write(folder.resolve("shipgan-dcgan-v3.onnx"), new byte[] {1, 2, 3});
        // What a kill between createTempFile and the rename leaves behind.
        Files.write(folder.resolve(".shipgan-dcgan-v4.onnx812734.tmp"), new byte[] {4});
        Files.write(folder.resolve(".last-version55.tmp"), new byte[0]);

        assertEquals(2, AtomicFiles.removeLeftovers(folder));

        try (var files = Files.list(folder)) {
            assertEquals(List.of("shipgan-dcgan-v3.onnx"), files.map(f -> f.getFileName().toString()).toList());
        }
        assertEquals(3, Files.size(folder.resolve("shipgan-dcgan-v3.onnx")));
    }
}
