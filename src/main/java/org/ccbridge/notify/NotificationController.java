package org.ccbridge.notify;

import java.util.Map;
import java.util.NoSuchElementException;

import org.ccbridge.normalize.TextLimit;
import org.ccbridge.security.ApiClients;
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
 */
@RestController
class NotificationController {

    private final NotificationService service;
    private final NotificationQueries queries;

    NotificationController(NotificationService service, NotificationQueries queries) {
        this.service = service;
        this.queries = queries;
    }

    /** Where a notification stands; 404 for an id that is not this client's. */
    @GetMapping("/notifications/{id}")
    NotificationView show(@PathVariable String id) {
        String client = ApiClients.current();
        return queries.find(id).filter(view -> view.client().equals(client))
                .orElseThrow(() -> new NoSuchElementException("no notification " + id));
    }

    @PostMapping("/notifications")
    ResponseEntity<Map<String, Object>> accept(@RequestHeader(name = "Idempotency-Key", required = false) String key,
                                               @RequestBody NotificationRequest request) {
        String client = ApiClients.current();
        if (key == null || key.isBlank() || TextLimit.IDEMPOTENCY_KEY.problem("Idempotency-Key", key) != null) {
            throw new InvalidNotificationException("send an Idempotency-Key header (1 to "
                    + TextLimit.IDEMPOTENCY_KEY.maxLength()
                    + " characters, no control characters), the same on every retry of one notification");
        }
        AcceptedNotification accepted = service.accept(client, key, request);
        ResponseEntity.BodyBuilder reply = ResponseEntity.status(HttpStatus.ACCEPTED);
        if (accepted.replayed()) {
            reply.header("Idempotent-Replayed", "true");
        }
        return reply.body(Map.of("id", accepted.id(), "status", "ACCEPTED"));
    }
}
