package org.ccbridge.coordination;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Compresses session bodies above a threshold, and only when that makes them smaller. */
final class SessionCodec {

    private final long compressAbove;

    SessionCodec(long compressAbove) {
        this.compressAbove = compressAbove;
    }

    SessionContent encode(byte[] body, String contentType, String region) {
        if (body.length > compressAbove) {
            byte[] compressed = gzip(body);
            if (compressed.length < body.length) {
                return new SessionContent(compressed, true, contentType, region);
            }
        }
        return new SessionContent(body, false, contentType, region);
    }

    byte[] decode(SessionContent content) {
        if (!content.compressed()) {
            return content.bytes();
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(content.bytes()))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("stored session is not valid gzip", e);
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
