package org.ccbridge.security;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Lets {@code %2F} and {@code %5C} through Tomcat still encoded, so that {@link CanonicalPathFirewall}
 * refuses them with the same problem+json 400 as every other path trick. Left to itself Tomcat
 * refuses them too, but with an HTML error page that a client cannot parse.
 */
@Component
class EncodedSeparatorsToFirewall implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            connector.setEncodedSolidusHandling("passthrough");
            connector.setEncodedReverseSolidusHandling("passthrough");
        });
    }
}
