package org.ccbridge.ops;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.ccbridge.notify.NotificationQueries;
import org.ccbridge.notify.NotificationView;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Notifications for operators: those in a status (FAILED ones above all, which the relay gave up
 * on and never drops), one with its ledger, and sending a FAILED one again.
 */
@RestController
class AdminNotificationsController {

    private static final int MAX_PAGE = 500;

    private final NotificationQueries notifications;

    AdminNotificationsController(NotificationQueries notifications) {
        this.notifications = notifications;
    }

    @GetMapping("/admin/notifications")
    Map<String, List<NotificationView>> byStatus(@RequestParam(defaultValue = "FAILED") String status,
                                                 @RequestParam(defaultValue = "50") int limit,
                                                 @RequestParam(defaultValue = "0") int offset) {
        return Map.of("notifications", notifications.byStatus(status, Math.max(1, Math.min(limit, MAX_PAGE)),
                Math.max(0, offset)));
    }

    @GetMapping("/admin/notifications/{id}")
    NotificationView show(@PathVariable String id) {
        return notifications.find(id).orElseThrow(() -> new NoSuchElementException("no notification " + id));
    }

    @PostMapping("/admin/notifications/{id}/retry")
    NotificationView retry(@PathVariable String id) {
        return notifications.retry(id);
    }
}
