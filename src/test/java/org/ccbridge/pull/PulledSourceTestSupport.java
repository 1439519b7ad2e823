package org.ccbridge.pull;

import org.apache.camel.CamelContext;
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

    /** The source's {@code ccbridge.pull.connected} gauge. */
    double connected(String source) {
        return meters.get("ccbridge.pull.connected").tag("source", source).gauge().value();
    }
}
