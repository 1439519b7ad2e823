package org.ccbridge.notify;

import java.util.ArrayList;
import java.util.List;

/**
 * The providers of one channel in the order they are tried (primary, then secondary), and whether
 * the secondary takes over from a primary that may have delivered.
 */
public record ChannelRoute(List<HttpNotificationProvider> providers, boolean fallbackOnUncertain) {

    public ChannelRoute {
        providers = List.copyOf(providers);
    }

    /**
     * The providers for a resend: those that may have the message already first, most recent
     * first; without {@code fallbackOnUncertain}, only those, so that no other provider delivers
     * it a second time (not even while theirs has an open circuit).
     */
    List<HttpNotificationProvider> orderFor(List<String> mayHaveIt) {
        if (mayHaveIt.isEmpty()) {
            return providers;
        }
        List<HttpNotificationProvider> ordered = new ArrayList<>();
        for (String name : mayHaveIt) {
            providers.stream().filter(provider -> provider.name().equals(name)).findFirst().ifPresent(ordered::add);
        }
        if (fallbackOnUncertain || ordered.isEmpty()) {
            providers.stream().filter(provider -> !ordered.contains(provider)).forEach(ordered::add);
        }
        return ordered;
    }
}
