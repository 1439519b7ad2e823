package org.ccbridge.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashing and comparing presented secrets without leaking them through timing. */
public final class Secrets {

    private Secrets() {
    }

    /** Lower-case hex SHA-256 of {@code value}: how API keys are configured and looked up. */
    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value));
    }

    /**
     * Compares digests rather than the strings, so that neither the time taken nor an early exit on
     * length says anything about the expected secret.
     */
    static boolean same(String expected, String presented) {
        return MessageDigest.isEqual(sha256(expected), sha256(presented));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
