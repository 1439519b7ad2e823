package org.ccbridge.routes;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Live reload of {@code ccbridge.routes-dir}, on unless {@code ccbridge.routes.reload=false}; none
 * when the routes come from the application itself ({@link RouteSource}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RouteFolderPresent.class)
class RouteReloadConfiguration {

    @Bean
    GuardedRouteReloader guardedRouteReloader(CamelContext camel, @Value("${ccbridge.routes-dir}") Path directory,
                                              TemplatedRoutes templatedRoutes) {
        return new GuardedRouteReloader(camel, directory, templatedRoutes);
    }

    @Bean
    @ConditionalOnProperty(name = "ccbridge.routes.reload", havingValue = "true", matchIfMissing = true)
    RouteFileWatcher routeFileWatcher(GuardedRouteReloader reloader, @Value("${ccbridge.routes-dir}") Path directory,
                                      @Value("${ccbridge.routes.quiet-period:300ms}") Duration quietPeriod) {
        return new RouteFileWatcher(reloader, directory, quietPeriod);
    }
}
