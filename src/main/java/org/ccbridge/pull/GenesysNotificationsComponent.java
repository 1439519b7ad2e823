package org.ccbridge.pull;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code genesys-notifications:<source>}: a consumer of the events of a Genesys Cloud notification
 * channel kept open for the source ({@code ccbridge.sources.<source>}, kind
 * {@code genesys-notifications}). Each message of the channel becomes one exchange, the message's
 * JSON as body, with the headers {@code CcbridgeSource} and {@code CcbridgeTopic}.
 */
public class GenesysNotificationsComponent extends DefaultComponent {

    public static final String SCHEME = "genesys-notifications";

    private final GenesysSessions sessions;

    public GenesysNotificationsComponent(GenesysSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new GenesysNotificationsEndpoint(uri, this, sessions, remaining);
    }
}
