package org.ccbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import org.ccbridge.support.EmbeddedModeTestSupport;

/** A {@code master:} route in the running service: it finds the lease cluster service and runs as leader. */
class MasterRoutesTests extends EmbeddedModeTestSupport {

    @Autowired
    CamelContext camel;

    @Test
    void aMasterRouteRunsOnTheInstanceThatHoldsTheLease() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("master:ccbridge-test-leader:timer:tick?delay=0&period=50").routeId("master-routes-test")
                        .process(exchange -> ticks.incrementAndGet());
            }
        });
        try {
            for (int i = 0; i < 100 && ticks.get() == 0; i++) {
                Thread.sleep(50);
            }
            assertThat(ticks.get()).as("ticks within 5 s").isPositive();
            LeaseClusterService service = camel.hasService(LeaseClusterService.class);
            assertThat(service).as("the service Camel runs the views of").isNotNull();
            assertThat(service.isLeader("ccbridge-test-leader")).isTrue();
        } finally {
            camel.getRouteController().stopRoute("master-routes-test");
            camel.removeRoute("master-routes-test");
        }
    }
}
