package org.ccbridge.notify;

import java.net.URI;
import java.util.NoSuchElementException;

import org.ccbridge.coordination.CoordinationProblemException;
import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.ccbridge.coordination.StoreRefusedDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** problem+json (RFC 9457) for the notification API. */
@RestControllerAdvice(basePackageClasses = NotificationProblems.class)
class NotificationProblems {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationProblems.class);

    @ExceptionHandler(InvalidNotificationException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidNotificationException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid notification", e.getMessage(), false);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid notification", "the body is not the JSON object expected", false);
    }

    @ExceptionHandler(NoSuchElementException.class)
    ResponseEntity<ProblemDetail> notFound(NoSuchElementException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage(), false);
    }

    @ExceptionHandler(NotificationKeyReusedException.class)
    ResponseEntity<ProblemDetail> reused(NotificationKeyReusedException e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency-Key reused", e.getMessage(), false);
    }

    @ExceptionHandler(NotificationInFlightException.class)
    ResponseEntity<ProblemDetail> inFlight(NotificationInFlightException e) {
        return problem(HttpStatus.CONFLICT, "Request in flight", e.getMessage(), true);
    }

    @ExceptionHandler(CoordinationProblemException.class)
    ResponseEntity<ProblemDetail> coordination(CoordinationProblemException e) {
        return problem(e.status(), e.title(), e.getMessage(), e.status().is5xxServerError());
    }

    /**
     * A retry raced its twin past the claim (the claim's lease ran out mid-enqueue) and the twin was
     * stored first: the next retry finds it and answers its id.
     */
    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<ProblemDetail> raced(DuplicateKeyException e) {
        return problem(HttpStatus.CONFLICT, "Request in flight", "the same request was stored just now; retry it", true);
    }

    /** A value the validation let through but a column cannot hold: the caller's data, not an outage. */
    @ExceptionHandler({DataIntegrityViolationException.class, StoreRefusedDataException.class})
    ResponseEntity<ProblemDetail> refused(RuntimeException e) {
        LOG.info("Notification not accepted, the store refused a value: {}", e instanceof StoreRefusedDataException
                ? e.getMessage() : StoreRefusedDataException.of((DataIntegrityViolationException) e).getMessage());
        return problem(HttpStatus.BAD_REQUEST, "Invalid notification",
                "a value is too long or not allowed; nothing was stored", false);
    }

    @ExceptionHandler({CoordinationStoreUnavailableException.class, DataAccessException.class})
    ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
        LOG.warn("Notification not accepted, a store did not answer: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                "the notification could not be recorded; retry with the same Idempotency-Key", true);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, String title, String detail, boolean retry) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        ResponseEntity.BodyBuilder reply = ResponseEntity.status(status);
        if (retry) {
            reply.header("Retry-After", "1");
        }
        return reply.body(problem);
    }
}
