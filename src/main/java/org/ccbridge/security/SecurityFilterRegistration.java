package org.ccbridge.security;

import java.io.IOException;
import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.filter.DelegatingFilterProxy;

/**
 * Puts Spring Security's filter chain in front of every request, as Spring Boot's own registration
 * (SecurityFilterAutoConfiguration, excluded in CcbridgeApplication) does, with one difference: a
 * webhook delivery to its canonical path ({@code POST /webhooks/<source>}, see
 * {@link CanonicalPathFirewall#isWebhookDelivery}) goes straight on to its route.
 *
 * <p>That is the decision the access table makes for it anyway (anyone may deliver; the route
 * checks the source's signature), and the firewall has nothing to refuse in such a path. Through the
 * chain, the delivery still paid for Spring MVC's handler lookup that Spring Security caches per
 * request, the chain's own filters and its path matchers: measured on the 2-core reference machine,
 * about 9 % of ccbridge's CPU per delivery (bench/results.md). Every other spelling of a webhook path,
 * and every other request, goes through the chain.
 */
@Configuration(proxyBeanMethods = false)
class SecurityFilterRegistration {

    static final String CHAIN = "springSecurityFilterChain";

    @Bean
    DelegatingFilterProxyRegistrationBean securityFilterChainRegistration(WebApplicationContext context,
                                                                          SecurityProperties properties) {
        // a registration of the chain's bean name, so that Boot does not register the bean once more
        DelegatingFilterProxyRegistrationBean registration = new DelegatingFilterProxyRegistrationBean(CHAIN) {
            @Override
            public DelegatingFilterProxy getFilter() {
                return new ChainExceptCanonicalWebhooks(context);
            }
        };
        registration.setOrder(properties.getFilter().getOrder());
        EnumSet<DispatcherType> dispatcherTypes = EnumSet.noneOf(DispatcherType.class);
        properties.getFilter().getDispatcherTypes().forEach(type -> dispatcherTypes.add(DispatcherType.valueOf(type.name())));
        registration.setDispatcherTypes(dispatcherTypes);
        return registration;
    }

    private static final class ChainExceptCanonicalWebhooks extends DelegatingFilterProxy {

        ChainExceptCanonicalWebhooks(WebApplicationContext context) {
            super(CHAIN, context);
        }

        @Override
        protected void initFilterBean() {
            // the chain is looked up on the first request, once the context has started, as Boot does
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request instanceof HttpServletRequest http && http.getDispatcherType() == DispatcherType.REQUEST
                    && CanonicalPathFirewall.isWebhookDelivery(http.getMethod(), http.getRequestURI())) {
                chain.doFilter(request, response);
                return;
            }
            super.doFilter(request, response, chain);
        }
    }
}
