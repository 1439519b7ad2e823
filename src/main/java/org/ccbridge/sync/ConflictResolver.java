package org.ccbridge.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The conflict matrix, deterministic: the same two edits give the same winner in either order,
 * on every instance and after restarts.
 *
 * <ol>
 * <li>The higher version wins.</li>
 * <li>Equal versions, times further apart than the tolerance: the newer wins.</li>
 * <li>Within the tolerance, the source hierarchy decides when the origins rank differently.</li>
 * <li>Identical times: the system with the lower priority id wins.</li>
 * <li>Otherwise neither: review.</li>
 * </ol>
 */
public final class ConflictResolver {

    /** One edit as the matrix sees it. */
    public record Edit(long version, Instant modifiedAt, SyncSystem system, ChangeOrigin origin) {
    }

    public enum Winner { INCOMING, STORED, REVIEW }

    /** The winner and the rule that picked it, for the record's status reason. */
    public record Verdict(Winner winner, String rule) {
    }

    private final Duration tolerance;
    private final List<ChangeOrigin> hierarchy;
    private final ToIntFunction<SyncSystem> priority;

    public ConflictResolver(Duration tolerance, List<ChangeOrigin> hierarchy, ToIntFunction<SyncSystem> priority) {
        this.tolerance = tolerance;
        this.hierarchy = List.copyOf(hierarchy);
        this.priority = priority;
    }

    public Verdict resolve(Edit stored, Edit incoming) {
        if (incoming.version() != stored.version()) {
            return verdict(incoming.version() > stored.version(), "higher version");
        }
        long apartMillis = Duration.between(stored.modifiedAt(), incoming.modifiedAt()).toMillis();
        if (Math.abs(apartMillis) > tolerance.toMillis()) {
            return verdict(apartMillis > 0, "newer by more than " + tolerance.toMillis() + " ms");
        }
        int storedRank = rank(stored.origin());
        int incomingRank = rank(incoming.origin());
        if (storedRank != incomingRank) {
            return verdict(incomingRank < storedRank, "source hierarchy " + hierarchy);
        }
        int storedPriority = priority.applyAsInt(stored.system());
        int incomingPriority = priority.applyAsInt(incoming.system());
        if (apartMillis == 0 && storedPriority != incomingPriority) {
            return verdict(incomingPriority < storedPriority, "system priority id");
        }
        return new Verdict(Winner.REVIEW, "same version, " + Math.abs(apartMillis) + " ms apart, within the "
                + tolerance.toMillis() + " ms tolerance, and the source hierarchy does not decide");
    }

    /** Position in the hierarchy, 0 first; an origin it does not list ranks after all it lists. */
    private int rank(ChangeOrigin origin) {
        int index = hierarchy.indexOf(origin);
        return index < 0 ? hierarchy.size() : index;
    }

    private static Verdict verdict(boolean incomingWins, String rule) {
        return new Verdict(incomingWins ? Winner.INCOMING : Winner.STORED, rule);
    }
}
