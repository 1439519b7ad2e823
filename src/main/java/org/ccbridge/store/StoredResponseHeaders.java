package org.ccbridge.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Stored response headers as a JSON object, the same in every store. */
final class StoredResponseHeaders {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredResponseHeaders() {
    }

    static String write(Map<String, String> headers) {
        try {
            return JSON.writeValueAsString(headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> read(String json) {
        try {
            return json == null || json.isEmpty() ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
