package org.ccbridge.ingress;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.broker.PublishFailedException;
import org.ccbridge.dedup.DedupProperties;
import org.ccbridge.dedup.DedupStoreUnavailableException;
import org.ccbridge.dedup.EventIdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Shared error handling of the ingress routes: turns the caught exception into an RFC 9457
 * problem+json reply. A claim this delivery still holds is released first, because Camel's
 * idempotent consumer does not remove it for an exception that {@code onException} handled.
 */
@Component("problemReplyProcessor")
public class ProblemReplyProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemReplyProcessor.class);

    private final IngressMetrics metrics;
    private final EventIdempotentRepository repository;
    private final DedupProperties dedup;
    private final IngressFate fate;

    public ProblemReplyProcessor(IngressMetrics metrics, EventIdempotentRepository repository, DedupProperties dedup,
                                 IngressFate fate) {
        this.metrics = metrics;
        this.repository = repository;
        this.dedup = dedup;
        this.fate = fate;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        IngressRejectedException problem = toProblem(caught);
        releaseHeldClaim(exchange);
        EventEnvelope envelope = IngressExchange.envelope(exchange);
        if (envelope != null) {
            fate.refused(envelope, problem);
        }

        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        message.setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
        message.setHeader(Exchange.HTTP_CHUNKED, false);
        if (problem.retryAfter() != null) {
            message.setHeader("Retry-After", Long.toString(Math.max(1, problem.retryAfter().toSeconds())));
        }
        message.setBody("{\"type\":\"about:blank\",\"title\":" + JsonText.quote(problem.title())
                + ",\"status\":" + problem.status() + ",\"detail\":" + JsonText.quote(problem.getMessage()) + "}");
        metrics.record(IngressExchange.sourceTag(exchange), problem.outcome(), IngressReplyProcessor.sinceReceived(exchange));
    }

    private IngressRejectedException toProblem(Throwable caught) {
        if (caught instanceof IngressRejectedException rejected) {
            return rejected;
        }
        Duration retryAfter = dedup.retryAfter();
        if (caught instanceof DedupStoreUnavailableException) {
            LOG.warn("Dedup store unavailable, answering 503: {}", caught.getMessage());
            return new IngressRejectedException(503, "Service unavailable",
                    "the event could not be recorded; retry later", IngressOutcome.UNAVAILABLE, retryAfter);
        }
        if (caught instanceof PublishFailedException) {
            LOG.warn("Broker did not confirm the event, claim released, answering 503: {}", caught.getMessage());
            return new IngressRejectedException(503, "Service unavailable",
                    "the event could not be made durable; retry later", IngressOutcome.UNAVAILABLE, retryAfter);
        }
        LOG.error("Unexpected ingress failure, answering 500", caught);
        return new IngressRejectedException(500, "Internal error",
                "the event was not accepted; retry later", IngressOutcome.ERROR, retryAfter);
    }

    private void releaseHeldClaim(Exchange exchange) {
        String key = exchange.getMessage().getHeader(IngressExchange.DEDUP_KEY_HEADER, String.class);
        if (key != null) {
            repository.remove(exchange, key);
        }
    }
}
