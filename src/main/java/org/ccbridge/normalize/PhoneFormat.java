package org.ccbridge.normalize;

/** The shape a target expects phone numbers in. */
public enum PhoneFormat {
    /** {@code +15550100123} */
    E164,
    /** {@code +1 555-010-0123} */
    INTERNATIONAL,
    /** The national form of the number's region, e.g. {@code (555) 010-0123} in the US. */
    NATIONAL
}
