package org.ccbridge.pull;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One source's notification channel, as a route's consumer; it takes nothing to send. */
class GenesysNotificationsEndpoint extends DefaultEndpoint {

    private final GenesysSessions sessions;
    private final String source;

    GenesysNotificationsEndpoint(String uri, GenesysNotificationsComponent component, GenesysSessions sessions,
                                 String source) {
        super(uri, component);
        this.sessions = sessions;
        this.source = source;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("genesys-notifications: is a consumer only");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        GenesysNotificationsConsumer consumer = new GenesysNotificationsConsumer(this, processor, sessions, source);
        configureConsumer(consumer);
        return consumer;
    }
}
