package org.ccbridge.normalize;

import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns a mapped field's incoming value into its canonical text (what is hashed, compared and
 * stored), and canonical text into the value a target is sent, validated against the target
 * field's pattern. A JSON null is kept as null: it clears the field, where an absent field is
 * left alone.
 */
public final class ValueNormalizer {

    // deliberately loose: one @, no spaces, a dot in the domain; the target's pattern can be stricter
    /** RFC 5321's limit on a forward path; also what keeps every check below linear. */
    static final int MAX_EMAIL_LENGTH = 254;

    private final PhoneNumbers phones;

    public ValueNormalizer(PhoneNumbers phones) {
        this.phones = phones;
    }

    /** The canonical text of {@code raw}, null for a JSON null. */
    public String canonical(String field, FieldType type, JsonNode raw) {
        if (raw == null || raw.isNull()) {
            return null;
        }
        if (raw.isContainerNode()) {
            throw new InvalidFieldValueException(field, "expected a single value, got " + raw.getNodeType());
        }
        return switch (type) {
            case TEXT -> raw.asText();
            case PHONE -> phones.toE164(field, raw.asText());
            case EMAIL -> email(field, raw.asText());
            case TIMESTAMP -> Timestamps.read(field, raw).toString();
            case INTEGER -> Long.toString(integer(field, raw));
            case BOOLEAN -> Boolean.toString(bool(field, raw));
        };
    }

    /**
     * The value to send for a canonical text: typed for JSON, phones in the target's format.
     *
     * @param pattern the target field's pattern, matched against the value's text; null for none
     */
    public Object forTarget(String field, FieldType type, String canonical, PhoneFormat phoneFormat, Pattern pattern) {
        if (canonical == null) {
            return null;
        }
        Object value = switch (type) {
            case PHONE -> phones.format(field, canonical, phoneFormat);
            case INTEGER -> Long.parseLong(canonical);
            case BOOLEAN -> Boolean.parseBoolean(canonical);
            default -> canonical;
        };
        if (pattern != null && !pattern.matcher(value.toString()).matches()) {
            throw new InvalidFieldValueException(field, "does not match the target's pattern " + pattern.pattern());
        }
        return value;
    }

    private static String email(String field, String raw) {
        String email = raw.trim().toLowerCase(Locale.ROOT);
        if (email.length() > MAX_EMAIL_LENGTH) {
            throw new InvalidFieldValueException(field, "longer than " + MAX_EMAIL_LENGTH + " characters");
        }
        if (!looksLikeEmail(email)) {
            throw new InvalidFieldValueException(field, "not an email address");
        }
        return email;
    }

    /**
     * One {@code @}, something before it, a dot inside the part after it, no white space. A plain
     * scan rather than a regular expression: the pattern it replaces backtracked quadratically on a
     * long domain without a dot.
     */
    static boolean looksLikeEmail(String email) {
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@') || email.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        int dot = email.indexOf('.', at + 2);
        return dot > 0 && dot < email.length() - 1;
    }

    private static long integer(String field, JsonNode raw) {
        if (raw.isIntegralNumber()) {
            return raw.asLong();
        }
        try {
            return Long.parseLong(raw.asText().trim());
        } catch (NumberFormatException e) {
            throw new InvalidFieldValueException(field, "not a whole number");
        }
    }

    private static boolean bool(String field, JsonNode raw) {
        if (raw.isBoolean()) {
            return raw.asBoolean();
        }
        String text = raw.asText().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new InvalidFieldValueException(field, "not true or false");
    }
}
