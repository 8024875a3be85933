package io.shipgan.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * The trainer's Ed25519 signature over a checkpoint record, carried in header {@link #HEADER} (base64). It covers
 * the record key and the metadata header's exact bytes; the metadata holds the SHA-256 and size of the ONNX bytes,
 * which every generator checks, so the signature vouches for the model too. Generators hold only the public key:
 * a replica that is broken into cannot sign checkpoints for the others.
 */
public final class CheckpointSignature {

    /** Header holding the base64 signature. */
    public static final String HEADER = "shipgan.checkpoint.signature";

    /** The signature scheme: Ed25519, built into every Java 15+ runtime. */
    public static final String ALGORITHM = "Ed25519";

    /** Prefix of every signed message, so that a signature over anything else never passes for a checkpoint's. */
    private static final byte[] CONTEXT = "shipgan-checkpoint-v1".getBytes(StandardCharsets.UTF_8);

    private CheckpointSignature() {
    }

    /** The header value: the base64 signature of this record's key and metadata bytes. */
    public static byte[] sign(PrivateKey key, String recordKey, byte[] metadataJson) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(signedMessage(recordKey, metadataJson));
            return Base64.getEncoder().encode(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with a " + key.getAlgorithm() + " key: " + e.getMessage(),
                    e);
        }
    }

    /**
     * @param header the signature header's value, or null when the record has none
     * @throws InvalidCheckpointException saying why, when the record is unsigned or its signature does not verify
     */
    public static void verify(PublicKey key, String recordKey, byte[] metadataJson, byte[] header) {
        if (header == null || header.length == 0) {
            throw new InvalidCheckpointException("record is not signed (no " + HEADER + " header)");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(header);
        } catch (IllegalArgumentException e) {
            throw new InvalidCheckpointException("signature header is not base64");
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(signedMessage(recordKey, metadataJson));
            valid = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new InvalidCheckpointException("signature does not verify with the trusted trainer key");
        }
    }

    /** Context, then the key and the metadata, each preceded by its length so that no two splits sign alike. */
    private static byte[] signedMessage(String recordKey, byte[] metadataJson) {
        byte[] keyBytes = recordKey == null ? new byte[0] : recordKey.getBytes(StandardCharsets.UTF_8);
        byte[] metadata = metadataJson == null ? new byte[0] : metadataJson;
        ByteArrayOutputStream message = new ByteArrayOutputStream(CONTEXT.length + keyBytes.length + metadata.length
                + 2 * Integer.BYTES);
        message.writeBytes(CONTEXT);
        writeLengthPrefixed(message, keyBytes);
        writeLengthPrefixed(message, metadata);
        return message.toByteArray();
    }

    private static void writeLengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
        int length = bytes.length;
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.writeBytes(bytes);
    }
}
