package io.shipgan.generator.sampling;

import io.shipgan.generator.config.GeneratorConfig.Device;
import io.shipgan.generator.testing.GeneratorModels;
import io.shipgan.generator.testing.TestConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class SessionFactoryTest {

    @Test
    void cpuDeviceNeverTriesCuda() throws Exception {
        SessionFactory sessions = new SessionFactory(TestConfig.cpu());

        LoadedSession loaded = sessions.loadSession(GeneratorModels.dense(1).build());

        assertEquals("cpu", loaded.device());
        assertNull(sessions.cudaFailure());
        loaded.session().close();
    }

    @Test
    void fallsBackToCpuWithoutCudaAndRemembersWhy() throws Exception {
        assumeFalse(hasCuda12(), "this host has CUDA 12 libraries; the fallback cannot be seen here");
        SessionFactory sessions = new SessionFactory(TestConfig.cpu().withDevice(Device.CUDA));
        byte[] onnx = GeneratorModels.dense(1).build();

        LoadedSession first = sessions.loadSession(onnx);
        String failure = sessions.cudaFailure();
        LoadedSession second = sessions.loadSession(onnx);

        assertEquals("cpu", first.device());
        assertNotNull(failure, "the CUDA failure is remembered");
        assertEquals("cpu", second.device());
        assertEquals(failure, sessions.cudaFailure(), "CUDA is not tried again");
        first.session().close();
        second.session().close();
    }

    /** The CUDA provider of ONNX Runtime 1.24 needs the CUDA 12 cuBLAS; without it the provider cannot load. */
    private static boolean hasCuda12() {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/local/cuda/lib64", "/usr/lib64"}) {
            try (var files = Files.list(Path.of(dir))) {
                if (files.anyMatch(f -> f.getFileName().toString().startsWith("libcublasLt.so.12"))) {
                    return true;
                }
            } catch (IOException e) {
                // A directory that is not there holds no CUDA.
            }
        }
        return false;
    }
}
