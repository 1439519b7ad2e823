package org.ccbridge.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ccbridge.fate.EventFateRepository;
import org.ccbridge.fate.FateEntry;
import org.ccbridge.notify.NotificationQueries;
import org.ccbridge.notify.NotificationView;
import org.ccbridge.sync.ReviewItem;
import org.ccbridge.sync.ReviewQueue;
import org.springframework.stereotype.Component;

/**
 * Tells an event's story from its fate entries, in order, with what has become of the things the
 * entries name since they were written: a review item's decision, a notification's delivery.
 */
@Component
class EventStories {

    private final EventFateRepository fates;
    private final ReviewQueue reviews;
    private final NotificationQueries notifications;

    EventStories(EventFateRepository fates, ReviewQueue reviews, NotificationQueries notifications) {
        this.fates = fates;
        this.reviews = reviews;
        this.notifications = notifications;
    }

    /** The story, or an empty list when the journal holds nothing of the event. */
    List<Map<String, Object>> story(String source, String eventId) {
        List<Map<String, Object>> story = new ArrayList<>();
        Set<Object> notificationsTold = new HashSet<>();
        for (FateEntry entry : fates.story(source, eventId)) {
            switch (entry.stage()) {
                case RECEIVED -> {
                    Map<String, Object> received = step(entry);
                    Object queue = received.remove("queue");
                    Object publishedAt = received.remove("publishedAt");
                    story.add(received);
                    // one entry for both steps: written once the broker confirmed, timed at arrival
                    Map<String, Object> published = new LinkedHashMap<>();
                    published.put("at", publishedAt instanceof Number millis
                            ? Instant.ofEpochMilli(millis.longValue()).toString() : publishedAt);
                    published.put("stage", "PUBLISHED");
                    published.put("queue", queue);
                    putTrace(published, entry);
                    story.add(published);
                }
                case SYNCED -> {
                    Map<String, Object> synced = step(entry);
                    Object reviewId = entry.detail().get("reviewId");
                    if (reviewId instanceof Number id) {
                        reviews.find(id.longValue()).ifPresent(item -> synced.put("review", review(item)));
                    }
                    story.add(synced);
                }
                case NOTIFICATION -> {
                    // a route retried after its enqueue tells the same notification again
                    Object id = entry.detail().get("notificationId");
                    if (notificationsTold.add(id)) {
                        Map<String, Object> caused = step(entry);
                        notifications.find(String.valueOf(id)).ifPresent(view -> caused.put("notification",
                                notification(view)));
                        story.add(caused);
                    }
                }
                default -> story.add(step(entry));
            }
        }
        return story;
    }

    /** The trace ids the story ran under, in order of first appearance. */
    static Set<Object> traceIds(List<Map<String, Object>> story) {
        Set<Object> ids = new LinkedHashSet<>();
        story.forEach(step -> {
            if (step.get("traceId") != null) {
                ids.add(step.get("traceId"));
            }
        });
        return ids;
    }

    private static Map<String, Object> step(FateEntry entry) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("at", entry.at().toString());
        step.put("stage", entry.stage().name());
        if (entry.recordKey() != null) {
            step.put("recordKey", entry.recordKey());
        }
        step.putAll(entry.detail());
        putTrace(step, entry);
        return step;
    }

    private static void putTrace(Map<String, Object> step, FateEntry entry) {
        if (entry.traceId() != null) {
            step.put("traceId", entry.traceId());
        }
    }

    private static Map<String, Object> review(ReviewItem item) {
        Map<String, Object> review = new LinkedHashMap<>();
        review.put("id", item.id());
        review.put("kind", item.kind().name());
        review.put("state", item.state().name());
        if (item.decision() != null) {
            review.put("decision", item.decision().name());
            review.put("decidedBy", item.decidedBy());
            review.put("decidedAt", String.valueOf(item.decidedAt()));
        }
        return review;
    }

    private static Map<String, Object> notification(NotificationView view) {
        Map<String, Object> notification = new LinkedHashMap<>();
        notification.put("id", view.id());
        notification.put("channel", view.channel());
        notification.put("messageType", view.messageType());
        notification.put("status", view.status());
        notification.put("attempts", view.attempts());
        if (view.lastError() != null) {
            notification.put("lastError", view.lastError());
        }
        return notification;
    }
}
