package org.ccbridge.fate;

import java.time.Clock;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;

import org.ccbridge.tracing.EventTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/** The event fate journal, its repository, and the purge of stories past their retention. */
@Configuration(proxyBeanMethods = false)
class EventFateConfiguration {

    @Bean
    EventFateRepository eventFateRepository(JdbcTemplate jdbc, ObjectMapper json) {
        return new EventFateRepository(jdbc, json);
    }

    @Bean
    EventFateJournal eventFateJournal(EventFateRepository repository, EventFateProperties properties,
                                      MeterRegistry registry, Clock clock) {
        return new EventFateJournal(repository, properties, registry, clock);
    }

    @Bean
    EventFate eventFate(EventFateJournal journal, EventFateProperties properties, Clock clock, EventTracing tracing) {
        return new EventFate(journal, properties.enabled(), clock, tracing::currentTraceId);
    }

    @Bean
    EventFatePurger eventFatePurger(EventFateRepository repository, EventFateProperties properties, Clock clock) {
        return new EventFatePurger(repository, properties, clock);
    }

    /** Deletes the entries older than the retention, every {@code ccbridge.fate.purge-interval}. */
    static class EventFatePurger {

        private static final Logger LOG = LoggerFactory.getLogger(EventFatePurger.class);

        private final EventFateRepository repository;
        private final EventFateProperties properties;
        private final Clock clock;

        EventFatePurger(EventFateRepository repository, EventFateProperties properties, Clock clock) {
            this.repository = repository;
            this.properties = properties;
            this.clock = clock;
        }

        @Scheduled(fixedDelayString = "${ccbridge.fate.purge-interval:5m}",
                initialDelayString = "${ccbridge.fate.purge-interval:5m}")
        void purge() {
            try {
                int purged = repository.purgeBefore(Instant.now(clock).minus(properties.retention()));
                LOG.debug("Purged {} event fate entries", purged);
            } catch (RuntimeException e) {
                // the database is away; the next round purges what this one could not
                LOG.debug("Event fate purge skipped: {}", e.getMessage());
            }
        }
    }
}
