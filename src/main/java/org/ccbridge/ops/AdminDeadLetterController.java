package org.ccbridge.ops;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dead-letter queue: {@code GET /admin/dlq} lists messages with their error, attempts, first
 * seen and routing key; {@code GET /admin/dlq/{messageId}} shows one with its headers and body;
 * {@code POST /admin/dlq/replay} sends all ({@code limit}) or some ({@code messageId}, repeated) back
 * to their worker route. Listing and inspecting leave the messages on the queue.
 */
@RestController
class AdminDeadLetterController {

    private static final int MAX_PAGE = 500;

    private final DeadLetters deadLetters;

    AdminDeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Operation(summary = "Dead letters", description = "Up to limit messages from the head of the DLQ, oldest "
            + "first, each with its error, attempts, first-seen time and routing key; they stay on the queue.")
    @ApiResponse(responseCode = "200", description = "The messages")
    @GetMapping("/admin/dlq")
    Map<String, List<DeadLetters.DeadLetter>> list(@RequestParam(defaultValue = "100") int limit) throws Exception {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE);
        }
        return Map.of("messages", deadLetters.list(limit));
    }

    @Operation(summary = "One dead letter", description = "Its headers and body as received, by its message id "
            + "({source}:{eventId}); it stays on the queue.")
    @ApiResponse(responseCode = "200", description = "The message")
    @ApiResponse(responseCode = "404", description = "No message with this id among the first 10,000")
    @GetMapping("/admin/dlq/{messageId}")
    DeadLetters.Inspected inspect(@PathVariable String messageId) throws Exception {
        return deadLetters.inspect(messageId)
                .orElseThrow(() -> new NoSuchElementException("no dead letter " + messageId + " on the DLQ"));
    }

    @Operation(summary = "Replay dead letters", description = "Each back to ccbridge.events under its original "
            + "routing key, acked on the DLQ once the broker confirmed it: the messages named by messageId "
            + "(repeat it), or else up to limit from the head of the queue.")
    @ApiResponse(responseCode = "200", description = "How many were replayed, and the named ones not found")
    @ApiResponse(responseCode = "409", description = "A message's routing key reaches no queue; it stays on the DLQ")
    @PostMapping("/admin/dlq/replay")
    DeadLetters.Replay replay(@RequestParam(defaultValue = "100") int limit,
                              @RequestParam(required = false) Set<String> messageId) throws Exception {
        if (messageId != null && !messageId.isEmpty()) {
            return deadLetters.replaySelected(messageId);
        }
        if (limit < 1 || limit > DeadLetters.MAX_REPLAY) {
            throw new IllegalArgumentException("limit must be between 1 and " + DeadLetters.MAX_REPLAY);
        }
        return deadLetters.replayAll(limit);
    }
}
