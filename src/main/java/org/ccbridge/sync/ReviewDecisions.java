package org.ccbridge.sync;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.TextNode;

import org.ccbridge.normalize.ValueNormalizer;

/**
 * An operator's decision on a review item: take the stored fields (left), the incoming ones
 * (right), or merged fields the operator supplies. Every value is normalized like an incoming
 * one, so a corrected phone number of an INVALID item is checked before anything is sent.
 */
public class ReviewDecisions {

    /** The length of the decided_by column, less room for the superseded note. */
    static final int MAX_DECIDED_BY = 50;

    private final SyncProperties properties;
    private final ValueNormalizer normalizer;
    private final ReviewQueue reviews;
    private final SyncEngine engine;

    public ReviewDecisions(SyncProperties properties, ValueNormalizer normalizer, ReviewQueue reviews, SyncEngine engine) {
        this.properties = properties;
        this.normalizer = normalizer;
        this.reviews = reviews;
        this.engine = engine;
    }

    /** A decision that cannot be applied as asked; the message says why. */
    public static class BadDecisionException extends RuntimeException {
        public BadDecisionException(String message) {
            super(message);
        }
    }

    /**
     * @throws java.util.NoSuchElementException when there is no such item
     * @throws ReviewAlreadyDecidedException    when it is decided already
     * @throws BadDecisionException             when the decision does not fit the item
     * @throws org.ccbridge.normalize.InvalidFieldValueException when a value is invalid
     */
    public SyncOutcome decide(long id, String take, Map<String, String> merged, String decidedBy) throws Exception {
        ReviewItem item = reviews.find(id).orElseThrow();
        if (item.state() != ReviewItem.State.OPEN) {
            throw new ReviewAlreadyDecidedException(id);
        }
        ReviewItem.Decision decision = decision(take);
        if (decidedBy != null && decidedBy.length() > MAX_DECIDED_BY) {
            throw new BadDecisionException("decidedBy is longer than " + MAX_DECIDED_BY + " characters");
        }
        Map<String, String> chosen = switch (decision) {
            case STORED -> {
                if (item.storedFields() == null) {
                    throw new BadDecisionException("review " + id + " has no stored fields to keep");
                }
                yield item.storedFields();
            }
            case INCOMING -> item.incomingFields();
            case MERGED -> {
                if (merged == null || merged.isEmpty()) {
                    throw new BadDecisionException("take=merged needs the fields to apply");
                }
                yield merged;
            }
        };
        return engine.applyDecision(item, decision, canonical(item.object(), chosen),
                decidedBy == null || decidedBy.isBlank() ? "admin" : decidedBy);
    }

    private Map<String, String> canonical(String object, Map<String, String> fields) {
        SyncProperties.ObjectMapping mapping = properties.objects().get(object);
        if (mapping == null) {
            throw new BadDecisionException("object " + object + " is no longer mapped");
        }
        Map<String, String> canonical = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            SyncProperties.FieldMapping field = mapping.fields().stream().filter(f -> f.key().equals(name)).findFirst()
                    .orElseThrow(() -> new BadDecisionException("field " + name + " is not mapped for " + object));
            canonical.put(name, value == null ? null : normalizer.canonical(name, field.type(), TextNode.valueOf(value)));
        });
        return canonical;
    }

    private static ReviewItem.Decision decision(String take) {
        if (take == null) {
            throw new BadDecisionException("take must be stored, incoming or merged");
        }
        return switch (take.toLowerCase(Locale.ROOT)) {
            case "stored", "left" -> ReviewItem.Decision.STORED;
            case "incoming", "right" -> ReviewItem.Decision.INCOMING;
            case "merged" -> ReviewItem.Decision.MERGED;
            default -> throw new BadDecisionException("take must be stored, incoming or merged");
        };
    }
}
