package io.decoupled.shipping.redrive;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the DLQ depth gauge current by sampling on an interval, never on scrape: a scrape must not turn
 * into an SQS call, and a DLQ that starts filling is what an alarm should watch.
 */
@Component
class DeadLetterQueueMetrics {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterQueueMetrics.class);

    private final DeadLetterRedriver redriver;
    private final AtomicLong depth = new AtomicLong(-1);

    DeadLetterQueueMetrics(DeadLetterRedriver redriver, MeterRegistry meters) {
        this.redriver = redriver;
        Gauge.builder("shipping.dlq.depth", depth, d -> d.get() < 0 ? Double.NaN : d.get())
                .description("Messages in shipping-orders-dlq (sampled)")
                .register(meters);
    }

    @Scheduled(
            fixedDelayString = "${shipping.redrive.depth-interval:30s}",
            initialDelayString = "${shipping.redrive.depth-interval:30s}")
    void sample() {
        try {
            depth.set(redriver.depth().visible());
        } catch (RuntimeException e) {
            log.debug("Could not sample the DLQ depth", e);
        }
    }
}
