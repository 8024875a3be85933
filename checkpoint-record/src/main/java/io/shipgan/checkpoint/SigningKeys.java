package io.shipgan.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads and writes the Ed25519 keys of {@link CheckpointSignature} as PEM files: the trainer's private key in
 * PKCS#8 ({@code PRIVATE KEY}), the generators' public key in X.509 ({@code PUBLIC KEY}), the forms that {@code
 * openssl genpkey -algorithm ed25519} and {@code openssl pkey -pubout} write. {@link #main} makes a new pair for
 * local runs.
 */
public final class SigningKeys {

    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";

    private SigningKeys() {
    }

    /** A new Ed25519 key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(CheckpointSignature.ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 15+ runtime has Ed25519", e);
        }
    }

    /** @throws IllegalArgumentException naming the file when it holds no Ed25519 private key in PKCS#8 PEM */
    public static PrivateKey readPrivateKey(Path pem) throws IOException {
        byte[] der = readPem(pem, PRIVATE_LABEL);
        try {
            return KeyFactory.getInstance(CheckpointSignature.ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(pem + " holds no Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException naming the file when it holds no Ed25519 public key in X.509 PEM */
    public static PublicKey readPublicKey(Path pem) throws IOException {
        byte[] der = readPem(pem, PUBLIC_LABEL);
        try {
            return KeyFactory.getInstance(CheckpointSignature.ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(pem + " holds no Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the pair as {@code private} (owner-only permissions) and {@code public}, each to a temporary file
     * renamed into place, so that a crash never leaves half a key.
     */
    public static void write(KeyPair pair, Path privateKey, Path publicKey) throws IOException {
        writePem(privateKey, PRIVATE_LABEL, pair.getPrivate().getEncoded(), true);
        writePem(publicKey, PUBLIC_LABEL, pair.getPublic().getEncoded(), false);
    }

    /**
     * {@code java -cp checkpoint-record.jar io.shipgan.checkpoint.SigningKeys DIR}: writes {@code
     * DIR/trainer-signing.pem} and {@code DIR/trainer-signing.pub.pem} unless the private key is there already.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SigningKeys DIR   (writes DIR/trainer-signing.pem and .pub.pem)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path privateKey = dir.resolve("trainer-signing.pem");
        Path publicKey = dir.resolve("trainer-signing.pub.pem");
        if (Files.exists(privateKey) && Files.exists(publicKey)) {
            System.out.println("keeping the signing keys in " + dir);
            return;
        }
        Files.createDirectories(dir);
        write(generate(), privateKey, publicKey);
        System.out.println("wrote a new checkpoint signing key pair to " + privateKey + " and " + publicKey);
    }

    private static byte[] readPem(Path pem, String label) throws IOException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException(pem + " is not a PEM file with a '" + label + "' block");
        }
        String body = text.substring(from + begin.length(), to).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(pem + ": the '" + label + "' block is not base64", e);
        }
    }

    private static void writePem(Path target, String label, byte[] der, boolean ownerOnly) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        String pem = "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
        Path parent = target.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(parent, target.getFileName().toString(), ".tmp");
        try {
            if (ownerOnly) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
