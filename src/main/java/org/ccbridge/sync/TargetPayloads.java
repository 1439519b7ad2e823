package org.ccbridge.sync;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.ccbridge.normalize.ValueNormalizer;

/**
 * Builds what is sent to a system: the given fields under that system's names, in the format
 * and pattern it expects, plus its version field and our syncSource marker. Only fields mapped
 * toward that system are included; fields a change did not carry are never included, so an
 * absent field is never nulled.
 */
public class TargetPayloads {

    private final SyncProperties properties;
    private final ValueNormalizer normalizer;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    public TargetPayloads(SyncProperties properties, ValueNormalizer normalizer) {
        this.properties = properties;
        this.normalizer = normalizer;
    }

    /**
     * The payload for {@code system}, empty when none of {@code fields} is mapped toward it.
     *
     * @throws org.ccbridge.normalize.InvalidFieldValueException when a value fails the target's format or pattern
     */
    public Map<String, Object> build(String object, SyncSystem system, Map<String, String> fields, long version) {
        SyncProperties.ObjectMapping mapping = properties.objects().get(object);
        Map<String, Object> payload = new LinkedHashMap<>();
        for (SyncProperties.FieldMapping field : mapping.fields()) {
            if (!fields.containsKey(field.key()) || !syncsTo(field, system)) {
                continue;
            }
            boolean crm = system == SyncSystem.CRM;
            payload.put(field.fieldIn(system), normalizer.forTarget(field.key(), field.type(), fields.get(field.key()),
                    crm ? field.crmFormat() : field.ccFormat(), pattern(crm ? field.crmPattern() : field.ccPattern())));
        }
        if (payload.isEmpty()) {
            return payload;
        }
        boolean crm = system == SyncSystem.CRM;
        payload.put(crm ? mapping.crmVersionField() : mapping.ccVersionField(), version);
        payload.put(crm ? mapping.crmMarkerField() : mapping.ccMarkerField(), properties.marker());
        return payload;
    }

    private static boolean syncsTo(SyncProperties.FieldMapping field, SyncSystem system) {
        return field.syncsFrom(system.other());
    }

    private Pattern pattern(String regex) {
        return regex == null || regex.isBlank() ? null : patterns.computeIfAbsent(regex, Pattern::compile);
    }
}
