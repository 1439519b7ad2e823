package org.ccbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.ccbridge.coordination.RateLimits;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Which providers a resend goes to, after a provider may have delivered. */
class ChannelRouteTests {

    private final HttpNotificationProvider primary = provider("primary");
    private final HttpNotificationProvider secondary = provider("secondary");

    @Test
    void aFirstSendTriesThePrimaryThenTheSecondary() {
        ChannelRoute route = new ChannelRoute(List.of(primary, secondary), true);
        assertThat(route.orderFor(List.of())).containsExactly(primary, secondary);
    }

    @Test
    void aResendGoesFirstToTheProviderThatMayHaveTheMessage() {
        ChannelRoute route = new ChannelRoute(List.of(primary, secondary), true);
        assertThat(route.orderFor(List.of("secondary"))).containsExactly(secondary, primary);
    }

    @Test
    void withoutFallbackOnUncertainOnlyTheProvidersThatMayHaveItAreAsked() {
        ChannelRoute route = new ChannelRoute(List.of(primary, secondary), false);
        // even when the primary's circuit is open, the secondary must not deliver a second copy
        assertThat(route.orderFor(List.of("primary"))).containsExactly(primary);
        assertThat(route.orderFor(List.of())).containsExactly(primary, secondary);
    }

    private static HttpNotificationProvider provider(String name) {
        NotifyProperties.Provider settings = new Binder(new MapConfigurationPropertySource(Map.of(
                "ccbridge.notify.providers." + name + ".url", "http://127.0.0.1:9/" + name)))
                .bindOrCreate("ccbridge.notify", NotifyProperties.class).providers().get(name);
        return new HttpNotificationProvider(name, settings, null, RateLimits.inMemory());
    }
}
