package org.ccbridge.ingress;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

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

    /** The published secret in every spelling a source could be given it: with or without whsec_, or decoded. */
    private static final Set<String> PUBLISHED_SPELLINGS = Set.of(DEVELOPMENT_SECRET,
            DEVELOPMENT_SECRET.substring("whsec_".length()),
            new String(Base64.getDecoder().decode(DEVELOPMENT_SECRET.substring("whsec_".length())), StandardCharsets.UTF_8));

    @Override
    public void afterPropertiesSet() {
        properties.sources().forEach((name, settings) -> {
            if (isPublished(settings.secret()) || isPublished(settings.previousSecret())) {
                throw new IllegalStateException("Source '" + name + "' uses the published development secret; "
                        + "set its secret through the environment before running the prod profile");
            }
        });
    }

    private static boolean isPublished(String secret) {
        return secret != null && PUBLISHED_SPELLINGS.contains(secret.trim());
    }
}
