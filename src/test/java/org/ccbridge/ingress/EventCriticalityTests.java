package org.ccbridge.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class EventCriticalityTests {

    @Test
    void everyTypeIsCriticalUnlessListed() {
        EventCriticality none = EventCriticality.of(List.of());

        assertThat(none.critical("v2.conversations.123.customer.end")).isTrue();
        assertThat(none.critical(null)).isTrue();
    }

    @Test
    void listedTypesMatchExactlyOrWithStarsAcrossDots() {
        EventCriticality presence = EventCriticality.of(List.of("v2.users.*.presence", "analytics", "enrichment.*"));

        assertThat(presence.critical("v2.users.4f1.presence")).isFalse();
        assertThat(presence.critical("v2.users.4f1.routing.status")).isTrue();
        assertThat(presence.critical("analytics")).isFalse();
        assertThat(presence.critical("analytics.daily")).as("no star, no prefix match").isTrue();
        assertThat(presence.critical("enrichment.contact.geo")).isFalse();
        assertThat(presence.critical("contact.updated")).isTrue();
    }

    @Test
    void regexCharactersInATypeAreLiteral() {
        EventCriticality dotted = EventCriticality.of(List.of("a.b+c(d)"));

        assertThat(dotted.critical("a.b+c(d)")).isFalse();
        assertThat(dotted.critical("aXbbc(d)")).isTrue();
    }

    @Test
    void aBlankTypeIsAConfigurationError() {
        assertThatThrownBy(() -> EventCriticality.of(List.of(" "))).hasMessageContaining("blank");
    }
}
