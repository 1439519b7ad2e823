package org.ccbridge.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.ccbridge.fate.EventFateRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Event fate for operators: what happened to one event, and which events the journal holds for an
 * event id or a record key. Stories are kept for {@code ccbridge.fate.retention} (72 h).
 */
@RestController
class AdminEventsController {

    private static final int MAX_PAGE = 200;

    private final EventStories stories;
    private final EventFateRepository fates;

    AdminEventsController(EventStories stories, EventFateRepository fates) {
        this.stories = stories;
        this.fates = fates;
    }

    @Operation(summary = "An event's fate", description = "Its story in order: received (type, channel, payload "
            + "hash; never the body), published (queue), duplicate and refused deliveries with their replies, each "
            + "sync decision with its status, reason and writes (target, fencing token), its review item, "
            + "dead-lettering and replays, the notifications it caused; with the trace ids when tracing is on.")
    @ApiResponse(responseCode = "200", description = "The story")
    @ApiResponse(responseCode = "404", description = "Nothing of this event in the journal (never received, or "
            + "older than the retention)")
    @GetMapping("/admin/events/{source}/{eventId}")
    Map<String, Object> fate(@PathVariable String source, @PathVariable String eventId) {
        List<Map<String, Object>> story = stories.story(source, eventId);
        if (story.isEmpty()) {
            throw new NoSuchElementException("nothing of event " + eventId + " from " + source
                    + " in the journal: never received, or older than the retention");
        }
        Map<String, Object> fate = new LinkedHashMap<>();
        fate.put("source", source);
        fate.put("eventId", eventId);
        fate.put("traceIds", EventStories.traceIds(story));
        fate.put("story", story);
        return fate;
    }

    @Operation(summary = "Find events", description = "The events the journal holds with this event id (any "
            + "source), or whose sync touched this record key; newest first.")
    @ApiResponse(responseCode = "200", description = "The events found, perhaps none")
    @ApiResponse(responseCode = "400", description = "Neither or both of eventId and recordKey, or a bad limit")
    @GetMapping("/admin/events")
    Map<String, List<EventFateRepository.EventRef>> find(@RequestParam(required = false) String eventId,
                                                         @RequestParam(required = false) String recordKey,
                                                         @RequestParam(defaultValue = "50") int limit) {
        if ((eventId == null) == (recordKey == null)) {
            throw new IllegalArgumentException("give either eventId or recordKey");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE);
        }
        return Map.of("events", eventId != null ? fates.eventsWithId(eventId, limit)
                : fates.eventsOfRecord(recordKey, limit));
    }
}
