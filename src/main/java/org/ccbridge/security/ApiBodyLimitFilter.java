package org.ccbridge.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps the JSON bodies of the flow and admin APIs ({@code /locks}, {@code /notifications},
 * {@code /admin}) at {@code ccbridge.api.max-body-size} (64 KB; {@code /notifications:batch} at
 * {@code ccbridge.api.max-batch-body-size}, 2 MB), so that no caller can have a
 * gigabyte parsed into the heap. A declared length over the cap is refused before anything is
 * read; a chunked body is read up to one byte past it. Webhooks, sessions and the gateway have
 * limits of their own and are not touched here.
 */
@Component
class ApiBodyLimitFilter extends OncePerRequestFilter {

    private static final List<String> CAPPED = List.of("/locks/", "/notifications", "/admin/");

    /** The one path whose bodies hold many requests, with a cap of its own. */
    private static final String BATCH = "/notifications:batch";

    private final long limit;
    private final long batchLimit;

    ApiBodyLimitFilter(@Value("${ccbridge.api.max-body-size:64KB}") DataSize limit,
                       @Value("${ccbridge.api.max-batch-body-size:2MB}") DataSize batchLimit) {
        this.limit = limit.toBytes();
        this.batchLimit = batchLimit.toBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // the firewall has refused every other spelling of these paths by now; a plain loop, as
        // every webhook delivery asks too
        String uri = request.getRequestURI();
        for (String prefix : CAPPED) {
            if (uri.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long cap = BATCH.equals(request.getRequestURI()) ? batchLimit : limit;
        if (request.getContentLengthLong() > cap) {
            tooLarge(response, cap);
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes((int) cap + 1);
        }
        if (body.length > cap) {
            tooLarge(response, cap);
            return;
        }
        chain.doFilter(new ReadBody(request, body), response);
    }

    private static void tooLarge(HttpServletResponse response, long limit) throws IOException {
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Payload too large\",\"status\":413,"
                + "\"detail\":\"request bodies of this API are limited to " + limit + " bytes\"}");
    }

    /** The request with its body already read, served from memory. */
    private static final class ReadBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body has been read already");
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
