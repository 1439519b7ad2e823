package org.ccbridge.security;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Refuses to start the production profile while an API client or an admin role still uses a
 * credential that the README publishes for the embedded default.
 */
@Component
@Profile("prod")
class DevelopmentCredentials implements InitializingBean {

    /** The dev client's key, published so that the first lock request works as pasted. */
    static final String API_KEY = "ccbridge-dev-api-key-01";
    /** The embedded default's operate token, published so that the admin examples work as pasted. */
    static final String ADMIN_TOKEN = "ccbridge-dev-admin-token-01";

    private final ApiClientProperties clients;
    private final AdminProperties admin;

    DevelopmentCredentials(ApiClientProperties clients, AdminProperties admin) {
        this.clients = clients;
        this.admin = admin;
    }

    @Override
    public void afterPropertiesSet() {
        String publishedKey = Secrets.sha256Hex(API_KEY);
        clients.clients().forEach((name, client) -> {
            if (publishedKey.equalsIgnoreCase(client.keySha256())) {
                throw new IllegalStateException("API client '" + name + "' uses the published development key; "
                        + "configure its key hash through the environment before running the prod profile");
            }
        });
        if (ADMIN_TOKEN.equals(admin.operateToken()) || ADMIN_TOKEN.equals(admin.readToken())) {
            throw new IllegalStateException("An admin token is the published development token; set "
                    + "CCBRIDGE_ADMIN_TOKEN and CCBRIDGE_ADMIN_READ_TOKEN to tokens of your own before running "
                    + "the prod profile");
        }
    }
}
