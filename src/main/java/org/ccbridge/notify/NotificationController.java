package org.ccbridge.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.ccbridge.fate.EventFate;
import org.ccbridge.security.ApiClients;
import org.ccbridge.tracing.EventTracing;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /notifications}: accepts a notification for sending, once per Idempotency-Key.
 * Answers 202 with the notification id, the same answer for a retry of the same request
 * ({@code Idempotent-Replayed: true}), 422 for the key reused with another request, 409 while the
 * first request with the key is still being accepted, 400 without a key or for an invalid request.
 * {@code GET /notifications/{id}} shows where one stands: sent, suppressed (and by which), failed.
 * A notification sent for a platform event names it in {@code Ccbridge-Event: {source}/{eventId}}
 * and joins that event's fate ({@code GET /admin/events/{source}/{eventId}}).
 * {@code POST /notifications:batch} accepts up to {@value #MAX_BATCH} at once, each with its own key
 * and its own answer ({@link NotificationBatch}).
 */
@RestController
class NotificationController {

    static final int MAX_BATCH = 500;
    static final String CAUSING_EVENT_HEADER = "Ccbridge-Event";

    private final NotificationService service;
    private final NotificationBatch batch;
    private final NotificationQueries queries;
    private final EventFate fate;
    private final EventTracing tracing;

    NotificationController(NotificationService service, NotificationBatch batch, NotificationQueries queries,
                           EventFate fate, EventTracing tracing) {
        this.tracing = tracing;
        this.service = service;
        this.batch = batch;
        this.queries = queries;
        this.fate = fate;
    }

    /** The batch endpoint's body: the notifications, each with its own key. */
    record BatchRequest(List<BatchItem> notifications) {
    }

    /** One notification of a batch: {@link NotificationRequest}'s fields and its Idempotency-Key. */
    record BatchItem(String idempotencyKey, String channel, String recipient, String template, String body,
                     String customerId, String messageType, String businessReference) {

        NotificationBatch.Item item(String traceParent) {
            return new NotificationBatch.Item(idempotencyKey, new NotificationRequest(channel, recipient, template, body,
                    customerId, messageType, businessReference), traceParent);
        }
    }

    /**
     * 200 with one result per item, in order: {@code status} 202 with {@code id} (and
     * {@code replayed}), or 400/409/422 with {@code title} and {@code detail}, as the item would
     * have been answered alone. The batch as a whole is 400 when it is empty, too long or not
     * JSON, and 503 when a store does not answer before the transaction commits (then nothing is
     * stored, and the same batch sent again is answered item by item).
     */
    @Operation(summary = "Accept up to 500 notifications", description = "One Idempotency-Key per item (its key), "
            + "one answer per item with its own status: 202 accepted (or replayed), 400, 409, 422.")
    @ApiResponse(responseCode = "200", description = "One result per item, in order")
    @ApiResponse(responseCode = "400", description = "Empty, over 500 items, or not JSON")
    @ApiResponse(responseCode = "503", description = "A store did not answer; nothing was stored (Retry-After)")
    @PostMapping("/notifications:batch")
    Map<String, Object> acceptBatch(@RequestBody BatchRequest request) {
        String client = ApiClients.current();
        if (request == null || request.notifications() == null || request.notifications().isEmpty()
                || request.notifications().size() > MAX_BATCH) {
            throw new InvalidNotificationException("send notifications: a list of 1 to " + MAX_BATCH + " items");
        }
        List<NotificationBatch.Item> items = new ArrayList<>(request.notifications().size());
        String trace = tracing.currentTraceparent();
        for (BatchItem item : request.notifications()) {
            if (item == null) {
                throw new InvalidNotificationException("an item of notifications is null");
            }
            items.add(item.item(trace));
        }
        List<NotificationBatch.Result> results = batch.accept(client, items);
        List<Map<String, Object>> answers = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            NotificationBatch.Result result = results.get(i);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("index", i);
            answer.put("status", result.status());
            if (result.id() != null) {
                answer.put("id", result.id());
                answer.put("replayed", result.replayed());
            } else {
                answer.put("title", result.title());
                answer.put("detail", result.detail());
            }
            answers.add(answer);
        }
        return Map.of("results", answers);
    }

    /** Where a notification stands; 404 for an id that is not this client's. */
    @Operation(summary = "Where a notification stands", description = "Its state (PENDING, SENT, FAILED, SUPPRESSED) "
            + "and attempts; only the client that sent it sees it.")
    @ApiResponse(responseCode = "200", description = "The notification")
    @ApiResponse(responseCode = "404", description = "No notification of this client has that id")
    @GetMapping("/notifications/{id}")
    NotificationView show(@PathVariable String id) {
        String client = ApiClients.current();
        return queries.find(id).filter(view -> view.client().equals(client))
                .orElseThrow(() -> new NoSuchElementException("no notification " + id));
    }

    @Operation(summary = "Accept a notification", description = "Stored in the outbox, sent once: a retry with the "
            + "same Idempotency-Key and body gets the same answer (Idempotent-Replayed: true), and the customer gets "
            + "one message of a type per dedup window.")
    @ApiResponse(responseCode = "202", description = "Accepted: its id")
    @ApiResponse(responseCode = "400", description = "No or bad Idempotency-Key, or an invalid notification")
    @ApiResponse(responseCode = "409", description = "A request with this key is still in progress (Retry-After)")
    @ApiResponse(responseCode = "422", description = "This key was used with another body")
    @ApiResponse(responseCode = "503", description = "A store did not answer (Retry-After)")
    @PostMapping("/notifications")
    ResponseEntity<Map<String, Object>> accept(@RequestHeader(name = "Idempotency-Key", required = false) String key,
                                               @Parameter(description = "The platform event this notification is "
                                                       + "sent for, as {source}/{eventId}: it joins that event's fate")
                                               @RequestHeader(name = CAUSING_EVENT_HEADER, required = false)
                                               String causingEvent,
                                               @RequestBody NotificationRequest request) {
        String client = ApiClients.current();
        String keyProblem = NotificationService.keyProblem(key, "an Idempotency-Key header");
        if (keyProblem != null) {
            throw new InvalidNotificationException(keyProblem);
        }
        CausingEvent cause = CausingEvent.parse(causingEvent);
        AcceptedNotification accepted = service.accept(client, key, request, tracing.currentTraceparent());
        if (cause != null && !accepted.replayed()) {
            fate.notificationCaused(cause.source(), cause.eventId(), accepted.id());
        }
        ResponseEntity.BodyBuilder reply = ResponseEntity.status(HttpStatus.ACCEPTED);
        if (accepted.replayed()) {
            reply.header("Idempotent-Replayed", "true");
        }
        return reply.body(Map.of("id", accepted.id(), "status", "ACCEPTED"));
    }
}
