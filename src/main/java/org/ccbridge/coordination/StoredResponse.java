package org.ccbridge.coordination;

import java.util.Map;

/**
 * A target's response as kept for replays.
 *
 * @param status  HTTP status
 * @param headers the selected response headers
 * @param body    the body bytes
 */
public record StoredResponse(int status, Map<String, String> headers, byte[] body) {
}
