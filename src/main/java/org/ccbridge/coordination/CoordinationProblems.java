package org.ccbridge.coordination;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** problem+json (RFC 9457) for every failure of the coordination APIs. */
@RestControllerAdvice(basePackageClasses = CoordinationProblems.class)
class CoordinationProblems {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinationProblems.class);
    private static final String RETRY_SECONDS = "1";

    @ExceptionHandler(CoordinationConflictException.class)
    ResponseEntity<ProblemDetail> conflict(CoordinationConflictException e) {
        return problem(HttpStatus.CONFLICT, e.title(), e.getMessage(), true);
    }

    @ExceptionHandler(CoordinationProblemException.class)
    ResponseEntity<ProblemDetail> problem(CoordinationProblemException e) {
        boolean retryLater = e.status().is5xxServerError() || e.status() == HttpStatus.TOO_MANY_REQUESTS;
        if (retryLater && e.retryAfter().isPresent()) {
            long seconds = Math.max(1, (e.retryAfter().get().toMillis() + 999) / 1000);
            return problem(e.status(), e.title(), e.getMessage(), String.valueOf(seconds));
        }
        return problem(e.status(), e.title(), e.getMessage(), retryLater);
    }

    @ExceptionHandler(BadCoordinationRequestException.class)
    ResponseEntity<ProblemDetail> badRequest(BadCoordinationRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), false);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "the body is not the JSON object expected", false);
    }

    @ExceptionHandler(StoreRefusedDataException.class)
    ResponseEntity<ProblemDetail> refused(StoreRefusedDataException e) {
        LOG.info("Coordination request refused by the store: {}", e.getMessage());
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "a value is too long or not allowed", false);
    }

    @ExceptionHandler(CoordinationStoreUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(CoordinationStoreUnavailableException e) {
        LOG.warn("Coordination store unavailable, answering 503: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", "the store did not answer; retry later",
                true);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail,
                                                         boolean retry) {
        return problem(status, title, detail, retry ? RETRY_SECONDS : null);
    }

    /** @param retryAfterSeconds the Retry-After header, or null for none */
    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail,
                                                         String retryAfterSeconds) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        ResponseEntity.BodyBuilder reply = ResponseEntity.status(status);
        if (retryAfterSeconds != null) {
            reply.header("Retry-After", retryAfterSeconds);
        }
        return reply.body(problem);
    }
}
