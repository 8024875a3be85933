package io.shipgan.gateway.security;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys this gateway accepts, read once at start-up from configuration and the keys file, or generated as
 * dev keys for a local run. Only SHA-256 digests are held; a presented key is hashed and compared in constant time.
 */
@Startup
@ApplicationScoped
public class ApiKeys {

    /** Bytes of randomness in a generated dev key (256 bits). */
    private static final int DEV_KEY_BYTES = 32;

    private final List<ApiKey> keys;

    @Inject
    public ApiKeys(AuthConfig config) {
        this.keys = List.copyOf(load(config));
    }

    /** Whether any key is configured; without one every protected route answers 401. */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /**
     * The key whose digest matches {@code presented}. Every configured digest is compared, with
     * {@link MessageDigest#isEqual}, whatever matched earlier, so the time taken says nothing about the keys.
     */
    public Optional<ApiKey> find(String presented) {
        byte[] digest = sha256(presented);
        ApiKey found = null;
        for (ApiKey key : keys) {
            if (MessageDigest.isEqual(digest, key.sha256())) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }

    private static List<ApiKey> load(AuthConfig config) {
        List<ApiKey> loaded = new ArrayList<>();
        for (String entry : config.keys().orElse(List.of())) {
            if (!entry.isBlank()) {
                loaded.add(ApiKey.parse(entry, "shipgan.gateway.auth.keys"));
            }
        }
        config.keysFile().ifPresent(file -> loaded.addAll(readKeysFile(file)));
        requireUniqueNames(loaded);

        if (!loaded.isEmpty()) {
            Log.infof("%d API key(s) loaded: %s", loaded.size(),
                    String.join(", ", loaded.stream().map(key -> key.name() + " (" + key.role() + ")").toList()));
        } else if (config.devKeys()) {
            loaded.addAll(generateDevKeys(config.devKeysFile()));
        } else {
            Log.warn("no API keys are configured: every /api/v1 route answers 401. Set shipgan.gateway.auth.keys or "
                    + "shipgan.gateway.auth.keys-file (entries name:role:sha256hex), or for a local run "
                    + "shipgan.gateway.auth.dev-keys=true");
        }
        return loaded;
    }

    private static List<ApiKey> readKeysFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API keys file " + file, e);
        }
        List<ApiKey> read = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                read.add(ApiKey.parse(line, file + " line " + (i + 1)));
            }
        }
        return read;
    }

    private static void requireUniqueNames(List<ApiKey> keys) {
        Set<String> names = new HashSet<>();
        for (ApiKey key : keys) {
            if (!names.add(key.name())) {
                throw new IllegalArgumentException("API key name '" + key.name() + "' is configured twice");
            }
        }
    }

    /**
     * Generates one user and one admin key, writes them to {@code file} (owner read/write only, in a form a shell
     * can source) and logs them: they are meant for the person running the gateway on their own machine.
     */
    private static List<ApiKey> generateDevKeys(Path file) {
        SecureRandom random = new SecureRandom();
        String userKey = newKey(random, Roles.USER);
        String adminKey = newKey(random, Roles.ADMIN);
        writeOwnerOnly(file, "# ShipGAN gateway dev keys, new at every start; for local runs only.\n"
                + "# Send one in the X-API-Key header: . " + file + "; curl -H \"X-API-Key: $SHIPGAN_USER_KEY\" ...\n"
                + "SHIPGAN_USER_KEY=" + userKey + "\n"
                + "SHIPGAN_ADMIN_KEY=" + adminKey + "\n");
        Log.warnf("no API keys configured, dev keys generated (local use only) and written to %s: "
                + "user key %s, admin key %s", file.toAbsolutePath(), userKey, adminKey);
        return List.of(new ApiKey("dev-user", Roles.USER, sha256(userKey)),
                new ApiKey("dev-admin", Roles.ADMIN, sha256(adminKey)));
    }

    private static String newKey(SecureRandom random, String role) {
        byte[] bytes = new byte[DEV_KEY_BYTES];
        random.nextBytes(bytes);
        return "shipgan-" + role + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes through a file created with mode 0600 and moved into place, so the keys are never readable by others. */
    private static void writeOwnerOnly(Path file, String text) {
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path temporary = folder.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            try {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
                throw new IOException("cannot create " + temporary + " with owner-only permissions", e);
            }
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dev keys to " + file, e);
        }
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
