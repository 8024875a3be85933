package io.shipgan.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CheckpointSignatureTest {

    private static final byte[] METADATA = "{\"version\":7,\"sha256\":\"ab\"}".getBytes(StandardCharsets.UTF_8);

    private final KeyPair trainer = SigningKeys.generate();

    @Test
    void signatureOfTheTrainerVerifies() {
        byte[] header = CheckpointSignature.sign(trainer.getPrivate(), "shipgan-dcgan", METADATA);

        assertEquals(64, Base64.getDecoder().decode(header).length, "an Ed25519 signature is 64 bytes");
        assertDoesNotThrow(() -> CheckpointSignature.verify(trainer.getPublic(), "shipgan-dcgan", METADATA, header));
    }

    @Test
    void rejectsUnsignedRecord() {
        InvalidCheckpointException e = assertThrows(InvalidCheckpointException.class,
                () -> CheckpointSignature.verify(trainer.getPublic(), "shipgan-dcgan", METADATA, null));

        assertEquals("record is not signed (no shipgan.checkpoint.signature header)", e.getMessage());
    }

    @Test
    void rejectsSignatureOfAnotherKey() {
        byte[] forged = CheckpointSignature.sign(SigningKeys.generate().getPrivate(), "shipgan-dcgan", METADATA);

        InvalidCheckpointException e = assertThrows(InvalidCheckpointException.class,
                () -> CheckpointSignature.verify(trainer.getPublic(), "shipgan-dcgan", METADATA, forged));
        assertEquals("signature does not verify with the trusted trainer key", e.getMessage());
    }

    @Test
    void rejectsChangedMetadataOrKey() {
        byte[] header = CheckpointSignature.sign(trainer.getPrivate(), "shipgan-dcgan", METADATA);
        byte[] changed = METADATA.clone();
        changed[changed.length - 3] = 'c';

        assertThrows(InvalidCheckpointException.class,
                () -> CheckpointSignature.verify(trainer.getPublic(), "shipgan-dcgan", changed, header));
        assertThrows(InvalidCheckpointException.class,
                () -> CheckpointSignature.verify(trainer.getPublic(), "shipgan-other", METADATA, header));
    }

    @Test
    void rejectsHeaderThatIsNotBase64() {
        byte[] header = "not base64!".getBytes(StandardCharsets.UTF_8);

        InvalidCheckpointException e = assertThrows(InvalidCheckpointException.class,
                () -> CheckpointSignature.verify(trainer.getPublic(), "shipgan-dcgan", METADATA, header));

        assertEquals("signature header is not base64", e.getMessage());
    }

    @Test
    void keysSurvivePemFilesAndThePrivateOneIsOwnerOnly(@TempDir Path dir) throws Exception {
        Path privateKey = dir.resolve("trainer-signing.pem");
        Path publicKey = dir.resolve("trainer-signing.pub.pem");

        SigningKeys.write(trainer, privateKey, publicKey);
        byte[] header = CheckpointSignature.sign(SigningKeys.readPrivateKey(privateKey), "shipgan-dcgan", METADATA);

        assertDoesNotThrow(() -> CheckpointSignature.verify(SigningKeys.readPublicKey(publicKey), "shipgan-dcgan",
                METADATA, header));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)));
        assertEquals("-----BEGIN PUBLIC KEY-----", Files.readAllLines(publicKey).get(0));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void readingAPublicKeyFromAPrivateKeyFileNamesTheFile(@TempDir Path dir) throws Exception {
        Path privateKey = dir.resolve("k.pem");
        SigningKeys.write(trainer, privateKey, dir.resolve("k.pub.pem"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SigningKeys.readPublicKey(privateKey));
        assertEquals(privateKey + " is not a PEM file with a 'PUBLIC KEY' block", e.getMessage());
    }
}
