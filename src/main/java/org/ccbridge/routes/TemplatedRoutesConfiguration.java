package org.ccbridge.routes;

import org.apache.camel.CamelContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TemplatedRoutesConfiguration {

    @Bean
    TemplatedRoutes templatedRoutes(CamelContext camel) {
        return new TemplatedRoutes(camel);
    }
}
