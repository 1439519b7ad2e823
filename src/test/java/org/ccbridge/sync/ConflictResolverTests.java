package org.ccbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.ccbridge.sync.ConflictResolver.Edit;
import org.ccbridge.sync.ConflictResolver.Winner;
import org.junit.jupiter.api.Test;

/** Every row of the conflict matrix, each checked in both orders. */
class ConflictResolverTests {

    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    private static final List<ChangeOrigin> DEFAULT_HIERARCHY =
            List.of(ChangeOrigin.AGENT_INPUT, ChangeOrigin.CRM_UPDATE, ChangeOrigin.SYSTEM_METADATA);

    private final ConflictResolver resolver = new ConflictResolver(Duration.ofSeconds(1), DEFAULT_HIERARCHY,
            system -> system == SyncSystem.CONTACT_CENTER ? 1 : 2);

    @Test
    void higherVersionWinsWhateverTheTimes() {
        Edit older = new Edit(41, T.plusSeconds(3600), SyncSystem.CRM, ChangeOrigin.CRM_UPDATE);
        Edit newer = new Edit(42, T, SyncSystem.CONTACT_CENTER, ChangeOrigin.SYSTEM_METADATA);
        assertWinner(older, newer, Winner.INCOMING, "higher version");
        assertWinner(newer, older, Winner.STORED, "higher version");
    }

    @Test
    void equalVersionsFurtherApartThanTheToleranceNewerWins() {
        Edit earlier = new Edit(42, T, SyncSystem.CONTACT_CENTER, ChangeOrigin.AGENT_INPUT);
        Edit later = new Edit(42, T.plusMillis(1001), SyncSystem.CRM, ChangeOrigin.CRM_UPDATE);
        assertWinner(earlier, later, Winner.INCOMING, "newer by more than 1000 ms");
        assertWinner(later, earlier, Winner.STORED, "newer by more than 1000 ms");
    }

    @Test
    void withinTheToleranceTheSourceHierarchyDecides() {
        Edit agent = new Edit(42, T, SyncSystem.CONTACT_CENTER, ChangeOrigin.AGENT_INPUT);
        Edit crm = new Edit(42, T.plusMillis(800), SyncSystem.CRM, ChangeOrigin.CRM_UPDATE);
        assertWinner(agent, crm, Winner.STORED, "source hierarchy");
        assertWinner(crm, agent, Winner.INCOMING, "source hierarchy");
        Edit metadata = new Edit(42, T.plusMillis(500), SyncSystem.CONTACT_CENTER, ChangeOrigin.SYSTEM_METADATA);
        assertWinner(metadata, crm, Winner.INCOMING, "source hierarchy");
    }

    @Test
    void withinTheToleranceWithoutAHierarchyDecisionGoesToReview() {
        Edit one = new Edit(42, T, SyncSystem.CRM, ChangeOrigin.CRM_UPDATE);
        Edit other = new Edit(42, T.plusMillis(999), SyncSystem.CRM, ChangeOrigin.CRM_UPDATE);
        assertThat(resolver.resolve(one, other).winner()).isEqualTo(Winner.REVIEW);
        assertThat(resolver.resolve(other, one).winner()).isEqualTo(Winner.REVIEW);

        ConflictResolver noHierarchy = new ConflictResolver(Duration.ofSeconds(1), List.of(), s -> 1);
        Edit agent = new Edit(42, T, SyncSystem.CONTACT_CENTER, ChangeOrigin.AGENT_INPUT);
        Edit crm = new Edit(42, T.plusMillis(300), SyncSystem.CRM, ChangeOrigin.CRM_UPDATE);
        assertThat(noHierarchy.resolve(agent, crm).winner()).isEqualTo(Winner.REVIEW);
    }

    @Test
    void exactlyEqualTimesTheLowerPriorityIdWins() {
        ConflictResolver noHierarchy = new ConflictResolver(Duration.ofSeconds(1), List.of(),
                system -> system == SyncSystem.CONTACT_CENTER ? 1 : 2);
        Edit cc = new Edit(42, T, SyncSystem.CONTACT_CENTER, ChangeOrigin.SYSTEM_METADATA);
        Edit crm = new Edit(42, T, SyncSystem.CRM, ChangeOrigin.SYSTEM_METADATA);
        assertThat(noHierarchy.resolve(cc, crm)).extracting(ConflictResolver.Verdict::winner).isEqualTo(Winner.STORED);
        assertThat(noHierarchy.resolve(crm, cc)).extracting(ConflictResolver.Verdict::winner).isEqualTo(Winner.INCOMING);
        assertThat(noHierarchy.resolve(crm, cc).rule()).isEqualTo("system priority id");

        ConflictResolver crmFirst = new ConflictResolver(Duration.ofSeconds(1), List.of(),
                system -> system == SyncSystem.CRM ? 1 : 2);
        assertThat(crmFirst.resolve(cc, crm).winner()).isEqualTo(Winner.INCOMING);
    }

    @Test
    void aToleranceOfExactlyOneSecondIsStillSimultaneous() {
        Edit one = new Edit(42, T, SyncSystem.CRM, ChangeOrigin.CRM_UPDATE);
        Edit other = new Edit(42, T.plusMillis(1000), SyncSystem.CRM, ChangeOrigin.CRM_UPDATE);
        assertThat(resolver.resolve(one, other).winner()).isEqualTo(Winner.REVIEW);
    }

    private void assertWinner(Edit stored, Edit incoming, Winner expected, String rule) {
        ConflictResolver.Verdict verdict = resolver.resolve(stored, incoming);
        assertThat(verdict.winner()).isEqualTo(expected);
        assertThat(verdict.rule()).startsWith(rule);
    }
}
