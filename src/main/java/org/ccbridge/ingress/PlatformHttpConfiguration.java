package org.ccbridge.ingress;

import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Replaces Camel's asynchronous Spring Boot platform-http engine; see
 * {@link SynchronousPlatformHttpEngine} for the measurement behind it.
 */
@Configuration(proxyBeanMethods = false)
class PlatformHttpConfiguration {

    @Bean(name = "platform-http-engine")
    PlatformHttpEngine synchronousPlatformHttpEngine(@Value("${server.port:8080}") int port) {
        return new SynchronousPlatformHttpEngine(port);
    }
}
