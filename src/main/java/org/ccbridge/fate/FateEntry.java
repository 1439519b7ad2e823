package org.ccbridge.fate;

import java.time.Instant;
import java.util.Map;

/**
 * One line of an event's story.
 *
 * @param source    the configured source name
 * @param eventId   the platform's event id
 * @param at        when it happened
 * @param stage     what happened
 * @param recordKey the business record concerned, {@code object/key}, when known: what the console searches by
 * @param traceId   the trace the step ran in, when tracing is on
 * @param detail    what an operator needs to know of this step; never a payload or a secret
 */
public record FateEntry(String source, String eventId, Instant at, FateStage stage, String recordKey, String traceId,
                        Map<String, Object> detail) {
}
