package io.shipgan.generator.rollout;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.logging.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rollout policy on disk ({@code rollout-policy.json} beside the cached checkpoints), replaced atomically on
 * every change. Without a cache the policy lives in memory only.
 */
public final class PolicyStore {

    static final String FILE_NAME = "rollout-policy.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;

    /** A store in {@code dir}, or none at all when {@code dir} is null. */
    PolicyStore(Path dir) {
        this.file = dir == null ? null : dir.resolve(FILE_NAME);
    }

    /** The stored policy; the initial one when there is none or it cannot be read (said at WARN). */
    PolicyState loadPolicy() {
        if (file == null || !Files.isRegularFile(file)) {
            return PolicyState.initial();
        }
        try {
            return JSON.readValue(Files.readAllBytes(file), PolicyState.class);
        } catch (IOException e) {
            Log.warnf("rollout policy %s is unreadable (%s); following the latest version. Delete or fix the file",
                    file, e.getMessage());
            return PolicyState.initial();
        }
    }

    /** Stores the policy; a failure is said at WARN, the replica keeps the policy in memory. */
    void savePolicy(PolicyState state) {
        if (file == null) {
            return;
        }
        try {
            AtomicFiles.writeAtomically(file, JSON.writeValueAsBytes(state));
        } catch (IOException e) {
            Log.warnf("cannot save the rollout policy to %s (%s); it holds until this replica restarts", file,
                    e.getMessage());
        }
    }
}
