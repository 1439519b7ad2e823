package org.ccbridge.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 of a record's mapped business fields in canonical form, independent of field order.
 * A field with a null value counts as absent: a system that reports an empty field it never had
 * has not changed the record.
 */
public final class ContentHash {

    private ContentHash() {
    }

    public static String of(Map<String, String> fields) {
        MessageDigest digest = sha256();
        new TreeMap<>(fields).forEach((name, value) -> {
            if (value != null) {
                // length prefixes keep "a"+"bc" apart from "ab"+"c"
                update(digest, name);
                update(digest, value);
            }
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
