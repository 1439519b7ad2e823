package org.ccbridge.ops;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admin/circuits}: every circuit breaker of the service (CRM targets, notification
 * providers, gateway targets, the dedup store) with its state and the figures it decides on.
 */
@RestController
class AdminCircuitsController {

    private final CircuitBreakerMetrics breakers;

    AdminCircuitsController(CircuitBreakerMetrics breakers) {
        this.breakers = breakers;
    }

    /**
     * One breaker as it stands.
     *
     * @param failureRate     percent of the calls in its window that failed; -1 until it has its minimum of calls
     * @param slowCallRate    percent that were slow; -1 likewise
     * @param bufferedCalls   calls in its window
     * @param notPermitted    calls refused while open
     */
    record Circuit(String name, String state, float failureRate, float slowCallRate, int bufferedCalls,
                   int failedCalls, long notPermitted) {

        static Circuit of(CircuitBreaker breaker) {
            CircuitBreaker.Metrics metrics = breaker.getMetrics();
            return new Circuit(breaker.getName(), breaker.getState().name(), metrics.getFailureRate(),
                    metrics.getSlowCallRate(), metrics.getNumberOfBufferedCalls(), metrics.getNumberOfFailedCalls(),
                    metrics.getNumberOfNotPermittedCalls());
        }
    }

    @Operation(summary = "Circuit breakers", description = "Each breaker's state (CLOSED, OPEN, HALF_OPEN, ...) "
            + "and failure rate: crm-<target>, notify-<provider>, gateway-<target>, dedup-store.")
    @ApiResponse(responseCode = "200", description = "The breakers, by name")
    @GetMapping("/admin/circuits")
    Map<String, List<Circuit>> circuits() {
        return Map.of("circuits", breakers.breakers().stream().distinct().map(Circuit::of)
                .sorted(Comparator.comparing(Circuit::name)).toList());
    }
}
