package org.ccbridge.ops;

import java.net.URI;
import java.util.NoSuchElementException;

import org.ccbridge.crm.CircuitOpenException;
import org.ccbridge.crm.TargetCallException;
import org.ccbridge.normalize.InvalidFieldValueException;
import org.ccbridge.sync.ReviewAlreadyDecidedException;
import org.ccbridge.sync.ReviewDecisions;
import org.ccbridge.sync.ReviewOutdatedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** problem+json (RFC 9457) for the admin API's failures. */
@RestControllerAdvice(basePackageClasses = AdminProblems.class)
class AdminProblems {

    private static final Logger LOG = LoggerFactory.getLogger(AdminProblems.class);

    @ExceptionHandler(NoSuchElementException.class)
    ResponseEntity<ProblemDetail> notFound(NoSuchElementException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage() == null ? "no such item" : e.getMessage());
    }

    @ExceptionHandler(ReviewAlreadyDecidedException.class)
    ResponseEntity<ProblemDetail> decided(ReviewAlreadyDecidedException e) {
        return problem(HttpStatus.CONFLICT, "Already decided", e.getMessage());
    }

    @ExceptionHandler(ReviewOutdatedException.class)
    ResponseEntity<ProblemDetail> outdated(ReviewOutdatedException e) {
        return problem(HttpStatus.CONFLICT, "Record changed since", e.getMessage());
    }

    @ExceptionHandler({ReviewDecisions.BadDecisionException.class, IllegalArgumentException.class})
    ResponseEntity<ProblemDetail> badRequest(RuntimeException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "the body is not the JSON object expected");
    }

    @ExceptionHandler(IllegalStateException.class)
    ResponseEntity<ProblemDetail> cannot(IllegalStateException e) {
        return problem(HttpStatus.CONFLICT, "Cannot do that now", e.getMessage());
    }

    @ExceptionHandler(InvalidFieldValueException.class)
    ResponseEntity<ProblemDetail> invalidValue(InvalidFieldValueException e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Invalid value", e.getMessage());
    }

    @ExceptionHandler({TargetCallException.class, CircuitOpenException.class})
    ResponseEntity<ProblemDetail> targetFailed(RuntimeException e) {
        LOG.warn("Review decision not applied, target failed: {}", e.getMessage());
        ResponseEntity<ProblemDetail> reply = problem(HttpStatus.SERVICE_UNAVAILABLE, "Target unavailable",
                "the decision was not applied and the item stays open: " + e.getMessage());
        return ResponseEntity.status(reply.getStatusCode()).header("Retry-After", "30").body(reply.getBody());
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        return ResponseEntity.status(status).body(problem);
    }
}
