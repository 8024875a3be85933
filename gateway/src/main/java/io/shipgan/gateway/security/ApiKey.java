package io.shipgan.gateway.security;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One configured API key: its name (in logs and per-key limits, never the key), its role and the SHA-256 of the key.
 *
 * @param name   a name for the key, e.g. {@code web-page} or {@code ops}
 * @param role   {@link Roles#USER} or {@link Roles#ADMIN}
 * @param sha256 the SHA-256 digest of the key's UTF-8 bytes
 */
record ApiKey(String name, String role, byte[] sha256) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    /**
     * Reads an entry {@code name:role:sha256hex}.
     *
     * @param source where the entry came from, for the message when it is malformed
     * @throws IllegalArgumentException naming the source and what is wrong, never the hash
     */
    static ApiKey parse(String entry, String source) {
        String[] parts = entry.trim().split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException(source + ": an API key entry must read name:role:sha256hex, "
                    + "but one has " + parts.length + " part(s)");
        }
        String name = parts[0].trim();
        String role = parts[1].trim().toLowerCase(Locale.ROOT);
        String hash = parts[2].trim();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(source + ": API key name '" + name + "' must be 1 to 64 letters, "
                    + "digits, '.', '_' or '-'");
        }
        if (!Roles.ALL.contains(role)) {
            throw new IllegalArgumentException(source + ": API key '" + name + "' has role '" + role
                    + "'; the roles are " + String.join(", ", Roles.ALL));
        }
        if (!SHA256_HEX.matcher(hash).matches()) {
            throw new IllegalArgumentException(source + ": API key '" + name + "' needs the SHA-256 of the key as "
                    + "64 hex digits (printf %s \"$KEY\" | sha256sum)");
        }
        return new ApiKey(name, role, HexFormat.of().parseHex(hash));
    }
}
