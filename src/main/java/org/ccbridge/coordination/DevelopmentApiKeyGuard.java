package org.ccbridge.coordination;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Refuses to start the production profile while any API client still uses the development key
 * that the README publishes.
 */
@Component
@Profile("prod")
class DevelopmentApiKeyGuard implements InitializingBean {

    /** Published in the README so that the first lock request works as pasted. Never for production. */
    static final String DEVELOPMENT_KEY = "ccbridge-dev-api-key-01";

    private final ApiClientProperties properties;

    DevelopmentApiKeyGuard(ApiClientProperties properties) {
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        String published = ApiKeyFilter.sha256Hex(DEVELOPMENT_KEY);
        properties.clients().forEach((name, client) -> {
            if (published.equalsIgnoreCase(client.keySha256())) {
                throw new IllegalStateException("API client '" + name + "' uses the published development key; "
                        + "configure its key hash through the environment before running the prod profile");
            }
        });
    }
}
