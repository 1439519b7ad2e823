package org.ccbridge.support;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Records every request that got past the security layer (it is the last filter before the
 * handlers), so that a test can prove a refused request never reached one.
 */
public final class HandledRequests implements Filter {

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** Whether a request with exactly this method and raw path (before any query) got past security. */
    public boolean reachedHandler(String method, String rawPath) {
        return seen.contains(method + " " + rawPath);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        seen.add(http.getMethod() + " " + http.getRequestURI());
        chain.doFilter(request, response);
    }

    /** Registers the recorder after every other filter, for requests (not error dispatches). */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Registration {

        @Bean
        HandledRequests handledRequests() {
            return new HandledRequests();
        }

        @Bean
        FilterRegistrationBean<HandledRequests> handledRequestsFilter(HandledRequests recorder) {
            FilterRegistrationBean<HandledRequests> registration = new FilterRegistrationBean<>(recorder);
            registration.setOrder(Ordered.LOWEST_PRECEDENCE);
            registration.setDispatcherTypes(DispatcherType.REQUEST);
            return registration;
        }
    }
}
