/**
 * Normalization of mapped values: phone numbers to E.164 and to the format a target expects,
 * emails trimmed and lower-cased, timestamps to UTC, and validation of every value against the
 * target field's pattern before it is sent.
 */
package org.ccbridge.normalize;
