package org.ccbridge.pull;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.ccbridge.ingress.IngressRejectedException;
import org.ccbridge.ingress.PulledEventSteps;

/**
 * Runs a source's notification channel while the route runs (on the leader only, inside
 * {@code master:}), and routes each of its messages. A message the route did not accept is
 * routed again, with a growing pause, until it is accepted: the channel's next message is not
 * read meanwhile, because Genesys does not send anything again. Only a message that can never
 * be accepted (it does not parse as an event) is skipped, logged and counted.
 */
class GenesysNotificationsConsumer extends DefaultConsumer implements NotificationChannelSession.Messages {

    /** The message's topic ({@code topicName}), for the route's filter. */
    static final String TOPIC_HEADER = "CcbridgeTopic";

    private static final Logger LOG = LoggerFactory.getLogger(GenesysNotificationsConsumer.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private final GenesysSessions sessions;
    private final String source;
    private NotificationChannelSession session;

    GenesysNotificationsConsumer(GenesysNotificationsEndpoint endpoint, Processor processor, GenesysSessions sessions,
                                 String source) {
        super(endpoint, processor);
        this.sessions = sessions;
        this.source = source;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        session = sessions.open(source, this);
        session.start();
    }

    @Override
    protected void doStop() throws Exception {
        if (session != null) {
            session.stop();
        }
        super.doStop();
    }

    @Override
    public String topicOf(String text) {
        return sessions.topicOf(text);
    }

    @Override
    public void handle(String text, String topic) {
        if (topic == null) {
            LOG.warn("Source {}: a message without topicName was skipped", source);
            sessions.metrics().unusable(source);
            return;
        }
        Duration pause = FIRST_PAUSE;
        while (isRunAllowed()) {
            Exception failure = route(text, topic);
            if (failure == null) {
                return;
            }
            if (failure instanceof IngressRejectedException rejected && rejected.status() == 400) {
                LOG.warn("Source {}: a message of topic {} is no event and was skipped: {}", source, topic,
                        rejected.getMessage());
                sessions.metrics().unusable(source);
                return;
            }
            LOG.warn("Source {}: a message of topic {} was not accepted; trying again in {} ms: {}", source, topic,
                    pause.toMillis(), failure.getMessage());
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
        LOG.error("Source {}: stopped before a message of topic {} was accepted; Genesys does not send it again",
                source, topic);
        sessions.metrics().unusable(source);
    }

    private Exception route(String text, String topic) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(text);
            exchange.getMessage().setHeader(PulledEventSteps.SOURCE_HEADER, source);
            exchange.getMessage().setHeader(TOPIC_HEADER, topic);
            getProcessor().process(exchange);
            return exchange.getException();
        } catch (Exception e) {
            return e;
        } finally {
            releaseExchange(exchange, false);
        }
    }
}
