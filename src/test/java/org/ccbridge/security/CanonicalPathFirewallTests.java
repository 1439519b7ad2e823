package org.ccbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class CanonicalPathFirewallTests {

    @Test
    void findsPercentEncodedUnreservedCharactersOnly() {
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/%61dmin")).isTrue();
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/a%2D")).isTrue();
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/a%7e")).isTrue();
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/a%5F")).isTrue();
        // characters that do need encoding, malformed escapes and a % at the end are not this rule's
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/gateway/crm/a%20b")).isFalse();
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/gateway/crm/%C3%A9")).isFalse();
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/a%zz/%")).isFalse();
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/admin/queues")).isFalse();
    }

    @Test
    void headerAndParameterTextFollowsSpringsDefaultRules() {
        assertThat(CanonicalPathFirewall.assignedWithoutControls("v1,abc+/= é 日本", false)).isTrue();
        assertThat(CanonicalPathFirewall.assignedWithoutControls("a\tb", true)).isTrue();
        assertThat(CanonicalPathFirewall.assignedWithoutControls("a\tb", false)).isFalse();
        assertThat(CanonicalPathFirewall.assignedWithoutControls("a\u0000b", true)).isFalse();
        assertThat(CanonicalPathFirewall.assignedWithoutControls("a\u007fb", true)).isFalse();
        assertThat(CanonicalPathFirewall.assignedWithoutControls("a\u0378b", true)).as("unassigned").isFalse();
        // the same answers as the regular expression Spring uses by default
        Pattern spring = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
        for (String sample : new String[] {"plain", "a\u0085b", "\u00a0x", "a\u2028b", "x\u0378"}) {
            assertThat(CanonicalPathFirewall.assignedWithoutControls(sample, false)).as(sample)
                    .isEqualTo(spring.matcher(sample).matches());
        }
    }

    @Test
    void onlyAPlainPostToAConfigurableSourceNameSkipsTheChecks() {
        assertThat(CanonicalPathFirewall.isWebhookDelivery("POST", "/webhooks/demo")).isTrue();
        assertThat(CanonicalPathFirewall.isWebhookDelivery("POST", "/webhooks/genesys-eu-1")).isTrue();
        for (String uri : new String[] {"/webhooks/", "/webhooks/Demo", "/webhooks/demo/", "/webhooks/demo;x",
                "/webhooks/de%6do", "/webhooks/../admin", "/webhooks//demo", "/webhooks/" + "a".repeat(64),
                "/webhooksdemo", "/admin/queues"}) {
            assertThat(CanonicalPathFirewall.isWebhookDelivery("POST", uri)).as(uri).isFalse();
        }
        assertThat(CanonicalPathFirewall.isWebhookDelivery("GET", "/webhooks/demo")).isFalse();
    }
}
