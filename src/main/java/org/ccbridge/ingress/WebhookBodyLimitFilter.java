package org.ccbridge.ingress;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps over-size webhook bodies out of memory. A declared Content-Length over the source's limit
 * is refused before anything is read; a chunked body is cut one byte past the limit, which the
 * authentication step then refuses with 413 as well.
 */
@Component
class WebhookBodyLimitFilter extends OncePerRequestFilter {

    static final String PREFIX = "/webhooks/";

    private final WebhookSources sources;
    private final IngressMetrics metrics;
    private final long largestLimit;

    WebhookBodyLimitFilter(WebhookSources sources, IngressMetrics metrics) {
        this.sources = sources;
        this.metrics = metrics;
        this.largestLimit = sources.all().values().stream()
                .mapToLong(s -> s.settings().maxBodySize().toBytes()).max().orElse(0);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(PREFIX);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long started = System.nanoTime();
        var source = sources.findWebhook(request.getRequestURI().substring(PREFIX.length()));
        long limit = source.map(s -> s.settings().maxBodySize().toBytes()).orElse(largestLimit);
        if (request.getContentLengthLong() > limit) {
            metrics.record(source.map(WebhookSource::name).orElse("unknown"), IngressOutcome.INVALID,
                    java.time.Duration.ofNanos(System.nanoTime() - started));
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Payload too large\",\"status\":413,"
                    + "\"detail\":\"the body exceeds this source's limit of " + limit + " bytes\"}");
            return;
        }
        chain.doFilter(new LimitedBodyRequest(request, limit + 1), response);
    }

    /** Ends the body stream after {@code cutoff} bytes. */
    private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

        private final long cutoff;
        private ServletInputStream stream;

        LimitedBodyRequest(HttpServletRequest request, long cutoff) {
            super(request);
            this.cutoff = cutoff;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedInputStream(super.getInputStream(), cutoff);
            }
            return stream;
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private long remaining;

        LimitedInputStream(ServletInputStream delegate, long cutoff) {
            this.delegate = delegate;
            this.remaining = cutoff;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = delegate.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int read = delegate.read(buffer, offset, (int) Math.min(length, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }

        @Override
        public boolean isFinished() {
            return remaining <= 0 || delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
