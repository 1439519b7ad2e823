package org.ccbridge.ingress;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Refuses to start the production profile while any source still uses the development secret
 * that the README publishes for the demo source.
 */
@Component
@Profile("prod")
class DevelopmentSecretGuard implements InitializingBean {

    /** Published in the README so that the first signed event works as pasted. Never for production. */
    static final String DEVELOPMENT_SECRET = "whsec_Y2NicmlkZ2UtZGV2ZWxvcG1lbnQtc2VjcmV0LTAx";

    private final IngressProperties properties;

    DevelopmentSecretGuard(IngressProperties properties) {
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        properties.sources().forEach((name, settings) -> {
            if (DEVELOPMENT_SECRET.equals(settings.secret()) || DEVELOPMENT_SECRET.equals(settings.previousSecret())) {
                throw new IllegalStateException("Source '" + name + "' uses the published development secret; "
                        + "set its secret through the environment before running the prod profile");
            }
        });
    }
}
