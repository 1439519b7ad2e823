package org.ccbridge.ingress;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which of a source's event types are not state-critical: they travel in the non-critical lane,
 * whose route is shed under load. Every other type is critical.
 */
public final class EventCriticality {

    private static final EventCriticality ALL_CRITICAL = new EventCriticality(null);

    private final Pattern nonCritical;

    private EventCriticality(Pattern nonCritical) {
        this.nonCritical = nonCritical;
    }

    /**
     * @param nonCriticalTypes event types, exact or with {@code *} for any run of characters
     *                         (dots included): {@code v2.users.*.presence}, {@code analytics.*}
     */
    public static EventCriticality of(List<String> nonCriticalTypes) {
        if (nonCriticalTypes == null || nonCriticalTypes.isEmpty()) {
            return ALL_CRITICAL;
        }
        return new EventCriticality(Pattern.compile(nonCriticalTypes.stream().map(EventCriticality::glob)
                .collect(Collectors.joining("|"))));
    }

    /** Whether events of {@code type} are state-critical. */
    public boolean critical(String type) {
        return nonCritical == null || type == null || !nonCritical.matcher(type).matches();
    }

    private static String glob(String pattern) {
        if (pattern.isBlank()) {
            throw new IllegalStateException("a non-critical event type must not be blank");
        }
        return "(?:" + Pattern.quote(pattern).replace("*", "\\E.*\\Q") + ")";
    }
}
