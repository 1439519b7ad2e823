package org.ccbridge.fate;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.Header;

/**
 * Where the flow's steps tell an event's story: each call adds one entry, stamped with the time
 * and the current trace, to the {@link EventFateJournal}, which writes it later. A call costs the
 * caller an object and a queue offer; it never touches the database.
 */
public class EventFate {

    /** Headers the notify-enqueue route reads the causing event from. */
    public static final String SOURCE_HEADER = "ccbridge-source";
    public static final String EVENT_ID_HEADER = "ccbridge-event-id";
    public static final String NOTIFICATION_ID_HEADER = "ccbridge-notification-id";

    private final EventFateJournal journal;
    private final boolean enabled;
    private final Clock clock;
    private final Supplier<String> currentTraceId;

    public EventFate(EventFateJournal journal, boolean enabled, Clock clock, Supplier<String> currentTraceId) {
        this.journal = journal;
        this.enabled = enabled;
        this.clock = clock;
        this.currentTraceId = currentTraceId;
    }

    /** One that tells no story: for a pipeline run outside the application, such as a test's. */
    public static EventFate disabled() {
        return new EventFate(null, false, Clock.systemUTC(), () -> null);
    }

    /** Adds an entry to the event's story. */
    public void record(String source, String eventId, FateStage stage, String recordKey, Map<String, Object> detail) {
        record(source, eventId, clock.instant(), stage, recordKey, detail);
    }

    /** Adds an entry of something that happened at {@code at}. */
    public void record(String source, String eventId, Instant at, FateStage stage, String recordKey,
                       Map<String, Object> detail) {
        if (enabled) {
            append(source, eventId, at, stage, recordKey, currentTraceId.get(), detail);
        }
    }

    /**
     * Adds an entry of a step that ran in the trace {@code traceId} (null for none) without a span
     * of it current: a batch of many events' traces.
     */
    public void recordInTrace(String traceId, String source, String eventId, FateStage stage, String recordKey,
                              Map<String, Object> detail) {
        if (enabled) {
            append(source, eventId, clock.instant(), stage, recordKey, traceId, detail);
        }
    }

    private void append(String source, String eventId, Instant at, FateStage stage, String recordKey, String traceId,
                        Map<String, Object> detail) {
        if (source != null && eventId != null) {
            journal.append(new FateEntry(source, eventId, at, stage, recordKey, traceId, detail));
        }
    }

    /**
     * Step {@code notify-enqueue-fate}: a notification a route accepted while handling an event
     * joins that event's story.
     */
    public void notificationCaused(@Header(SOURCE_HEADER) String source, @Header(EVENT_ID_HEADER) String eventId,
                                   @Header(NOTIFICATION_ID_HEADER) String notificationId) {
        if (notificationId != null) {
            record(source, eventId, FateStage.NOTIFICATION, null, Map.of("notificationId", notificationId));
        }
    }
}
