package org.ccbridge.coordination;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Session state limits.
 *
 * @param maxSize       larger bodies get 413
 * @param compressAbove bodies larger than this are stored gzip-compressed
 * @param defaultTtl    lifetime of a session written without {@code ttlSeconds}
 * @param maxTtl        the longest {@code ttlSeconds} accepted
 */
@ConfigurationProperties("ccbridge.sessions")
public record SessionProperties(
        @DefaultValue("64KB") DataSize maxSize,
        @DefaultValue("4KB") DataSize compressAbove,
        @DefaultValue("24h") Duration defaultTtl,
        @DefaultValue("7d") Duration maxTtl) {
}
