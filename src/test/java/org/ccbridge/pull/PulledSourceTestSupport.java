package org.ccbridge.pull;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.AdviceWith;
import org.springframework.beans.factory.annotation.Autowired;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.ccbridge.routes.TemplatedRoutes;
import org.ccbridge.support.EmbeddedModeTestSupport;

/** What the tests of the pulled sources share: their meters, and the routes they advise and recreate. */
abstract class PulledSourceTestSupport extends EmbeddedModeTestSupport {

    @Autowired
    MeterRegistry meters;

    @Autowired
    CamelContext camel;

    @Autowired
    TemplatedRoutes templatedRoutes;

    /** A pulled source's counter ({@code ccbridge.pull.reconnects}, ...) now; 0 before its first count. */
    double counted(String meter, String source) {
        Counter counter = meters.find(meter).tag("source", source).counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * Adds {@code step} to a running route of a pulled source, just before it hands an event to
     * {@code direct:pulled-event}: a test's way to make an acceptance fail or take long. The test
     * recreates the route from its template afterwards.
     */
    void beforeAcceptance(String routeId, Processor step) throws Exception {
        AdviceWith.adviceWith(camel, routeId, route -> route.weaveByToUri("direct:pulled-event").before().process(step));
    }

    /** The source's {@code ccbridge.pull.connected} gauge. */
    double connected(String source) {
        return meters.get("ccbridge.pull.connected").tag("source", source).gauge().value();
    }
}
