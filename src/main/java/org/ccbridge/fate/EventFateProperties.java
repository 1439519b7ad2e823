package org.ccbridge.fate;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ccbridge.fate.*}: the event fate journal.
 *
 * @param enabled       whether stories are written at all
 * @param retention     how long a story is kept; the dedup window by default, as long as a platform may redeliver
 * @param buffer        entries held in memory while the database catches up; past it, entries are dropped and counted
 * @param batchSize     entries per insert
 * @param purgeInterval how often entries past their retention are deleted
 */
@ConfigurationProperties("ccbridge.fate")
public record EventFateProperties(@DefaultValue("true") boolean enabled,
                                  @DefaultValue("72h") Duration retention,
                                  @DefaultValue("100000") int buffer,
                                  @DefaultValue("500") int batchSize,
                                  @DefaultValue("5m") Duration purgeInterval) {

    public EventFateProperties {
        if (buffer < 1 || batchSize < 1) {
            throw new IllegalArgumentException("ccbridge.fate.buffer and batch-size must be at least 1");
        }
    }
}
