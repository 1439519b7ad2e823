package org.ccbridge.ops;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.ccbridge.sync.RecordState;
import org.ccbridge.sync.RecordStateRepository;
import org.ccbridge.sync.ReviewDecisions;
import org.ccbridge.sync.ReviewItem;
import org.ccbridge.sync.ReviewQueue;
import org.ccbridge.sync.SyncOutcome;
import org.ccbridge.sync.SyncStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sync engine's admin API: record sync state (by key, or every record in a status such as
 * INVALID or FLAGGED) and the review queue with its decisions.
 */
@RestController
class AdminSyncController {

    private static final int MAX_PAGE = 500;

    private final RecordStateRepository states;
    private final ReviewQueue reviews;
    private final ReviewDecisions decisions;

    AdminSyncController(RecordStateRepository states, ReviewQueue reviews, ReviewDecisions decisions) {
        this.states = states;
        this.reviews = reviews;
        this.decisions = decisions;
    }

    /** The body of a decision: {@code take} stored|incoming|merged, {@code fields} for merged. */
    record DecisionRequest(String take, Map<String, String> fields, String decidedBy) {
    }

    @GetMapping("/admin/sync/records/{object}/{recordKey}")
    RecordState record(@PathVariable String object, @PathVariable String recordKey) {
        return states.find(object, recordKey)
                .orElseThrow(() -> new NoSuchElementException("no sync state for " + object + " " + recordKey));
    }

    @GetMapping("/admin/sync/records")
    Map<String, List<RecordState>> records(@RequestParam SyncStatus status,
                                           @RequestParam(defaultValue = "50") int limit,
                                           @RequestParam(defaultValue = "0") int offset) {
        return Map.of("records", states.findByStatus(status, page(limit), Math.max(0, offset)));
    }

    @GetMapping("/admin/sync/reviews")
    Map<String, List<ReviewItem>> reviews(@RequestParam(defaultValue = "OPEN") ReviewItem.State state,
                                          @RequestParam(defaultValue = "50") int limit,
                                          @RequestParam(defaultValue = "0") long after) {
        return Map.of("items", reviews.list(state, page(limit), after));
    }

    @GetMapping("/admin/sync/reviews/{id}")
    ReviewItem review(@PathVariable long id) {
        return reviews.find(id).orElseThrow(() -> new NoSuchElementException("no review " + id));
    }

    @PostMapping("/admin/sync/reviews/{id}/decision")
    Map<String, Object> decide(@PathVariable long id, @RequestBody DecisionRequest request) throws Exception {
        if (reviews.find(id).isEmpty()) {
            throw new NoSuchElementException("no review " + id);
        }
        SyncOutcome outcome = decisions.decide(id, request.take(), request.fields(), request.decidedBy());
        ReviewItem item = reviews.find(id).orElseThrow();
        return Map.of("review", item, "outcome", outcome,
                "record", states.find(item.object(), item.recordKey()).orElseThrow());
    }

    private static int page(int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE);
        }
        return limit;
    }
}
