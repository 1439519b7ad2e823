package org.ccbridge.normalize;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Phone numbers through libphonenumber: any written form to E.164, E.164 to a target's format.
 * Numbers without a country code are read in the configured default region.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private final String defaultRegion;

    public PhoneNumbers(String defaultRegion) {
        if (!UTIL.getSupportedRegions().contains(defaultRegion)) {
            throw new IllegalArgumentException("unknown phone region " + defaultRegion
                    + "; use an ISO 3166 code such as US or GB");
        }
        this.defaultRegion = defaultRegion;
    }

    /** The number in E.164, or an exception naming the field when it is not a valid number. */
    public String toE164(String field, String raw) {
        PhoneNumber number = parse(field, raw);
        return UTIL.format(number, PhoneNumberFormat.E164);
    }

    /** An E.164 number (from {@link #toE164}) in the format a target expects. */
    public String format(String field, String e164, PhoneFormat format) {
        PhoneNumber number = parse(field, e164);
        return switch (format) {
            case E164 -> UTIL.format(number, PhoneNumberFormat.E164);
            case INTERNATIONAL -> UTIL.format(number, PhoneNumberFormat.INTERNATIONAL);
            case NATIONAL -> UTIL.format(number, PhoneNumberFormat.NATIONAL);
        };
    }

    private PhoneNumber parse(String field, String raw) {
        try {
            PhoneNumber number = UTIL.parse(raw, defaultRegion);
            if (!UTIL.isValidNumber(number)) {
                throw new InvalidFieldValueException(field, "not a valid phone number (default region "
                        + defaultRegion + ")");
            }
            return number;
        } catch (NumberParseException e) {
            throw new InvalidFieldValueException(field, "not a phone number: " + e.getErrorType());
        }
    }
}
