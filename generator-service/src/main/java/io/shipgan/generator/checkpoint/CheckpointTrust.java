package io.shipgan.generator.checkpoint;

import io.quarkus.logging.Log;
import io.shipgan.checkpoint.CheckpointSignature;
import io.shipgan.checkpoint.InvalidCheckpointException;
import io.shipgan.checkpoint.SigningKeys;
import io.shipgan.generator.config.GeneratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;

/**
 * Decides whether a checkpoint record comes from the trainer: with a trusted public key configured, only records
 * whose signature verifies with it; without one, every record (said once, loudly, at start).
 */
@ApplicationScoped
public class CheckpointTrust {

    private final Optional<PublicKey> trainerKey;

    /**
     * @throws UncheckedIOException     when the configured key file cannot be read
     * @throws IllegalArgumentException when it holds no Ed25519 public key: a replica never starts trusting less
     *                                  than it was told to
     */
    @Inject
    public CheckpointTrust(GeneratorConfig config) {
        this(readTrainerKey(config.trust().publicKeyFile()));
    }

    /** Trusts records signed with this key, or every record when it is empty. */
    public CheckpointTrust(Optional<PublicKey> trainerKey) {
        this.trainerKey = trainerKey;
    }

    private static Optional<PublicKey> readTrainerKey(Optional<Path> file) {
        if (file.isEmpty()) {
            Log.warn("checkpoint signatures are NOT checked: any record on the topic may serve. Set "
                    + "shipgan.generator.trust.public-key-file to the trainer's public key");
            return Optional.empty();
        }
        try {
            PublicKey key = SigningKeys.readPublicKey(file.get());
            Log.infof("only checkpoints signed by the trainer key in %s will serve", file.get());
            return Optional.of(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trusted trainer key " + file.get(), e);
        }
    }

    /** Whether records must be signed. */
    public boolean requiresSignature() {
        return trainerKey.isPresent();
    }

    /** @throws InvalidCheckpointException when signatures are required and this record's is missing or wrong */
    public void verifySignature(CheckpointCandidate candidate) {
        trainerKey.ifPresent(key -> CheckpointSignature.verify(key, candidate.key(), candidate.metadataHeader(),
                candidate.signatureHeader()));
    }
}
