package org.ccbridge.coordination;

/**
 * What a session holds, as stored.
 *
 * @param bytes       the body, gzip-compressed when {@code compressed}
 * @param compressed  whether {@code bytes} are compressed
 * @param contentType the media type the writer sent
 * @param region      the region of the writer, when it named one
 */
public record SessionContent(byte[] bytes, boolean compressed, String contentType, String region) {
}
