package org.ccbridge.ingress;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How ccbridge fetches the events of a pulled source, under {@code ccbridge.sources.<name>.pull}.
 *
 * @param oauthClient    the client under {@code ccbridge.oauth.clients} whose token the calls carry
 * @param url            {@code cxone-poll}: the Real-Time Data endpoint polled with
 *                       {@code updatedSince}, e.g. {@code .../incontactapi/services/v27.0/contacts/states}
 * @param interval       {@code cxone-poll}: the wait between two polls
 * @param timeout        connect and answer timeout of each call to the platform
 * @param items          {@code cxone-poll}: the answer's array of changed states
 * @param idField        {@code cxone-poll}: the field naming the contact or agent of a state
 * @param timeField      {@code cxone-poll}: the field with the time of a state's change; the id and
 *                       this time make the event id
 * @param typeField      {@code cxone-poll}: the field whose value names the state; the event type is
 *                       {@code typePrefix.<value>}
 * @param typePrefix     {@code cxone-poll}: the event type's first part
 * @param lookback       {@code cxone-poll}: how far back the first poll of a source without a stored
 *                       cursor reads
 * @param apiUrl         {@code genesys-notifications}: the region's API, e.g. https://api.mypurecloud.com
 * @param topics         {@code genesys-notifications}: the topics to subscribe, at most 1,000
 * @param silenceTimeout {@code genesys-notifications}: a socket without any message (heartbeats
 *                       come every 30 s) for this long is closed and the channel opened again
 * @param renewBefore    {@code genesys-notifications}: how long before the channel's expiry a new
 *                       channel is opened and subscribed
 */
public record PullSettings(
        String oauthClient,
        String url,
        @DefaultValue("5s") Duration interval,
        @DefaultValue("30s") Duration timeout,
        @DefaultValue("contactStates") String items,
        @DefaultValue("contactId") String idField,
        @DefaultValue("lastUpdateTime") String timeField,
        @DefaultValue("contactStateName") String typeField,
        @DefaultValue("contact.state") String typePrefix,
        @DefaultValue("5m") Duration lookback,
        String apiUrl,
        @DefaultValue List<String> topics,
        @DefaultValue("90s") Duration silenceTimeout,
        @DefaultValue("1h") Duration renewBefore) {
}
