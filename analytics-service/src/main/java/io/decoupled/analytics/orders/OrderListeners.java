package io.decoupled.analytics.orders;

import io.awspring.cloud.sqs.annotation.SnsNotificationMessage;
import io.awspring.cloud.sqs.annotation.SqsListener;
import io.decoupled.topology.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Pattern: fan-out second subscriber. The same order-events topic feeds shipping (filtered) and analytics
 * (unfiltered, {@code analytics-orders}, SNS envelope), and the body-filtered {@code order-review} queue
 * delivers only orders at or above the review threshold (raw). Neither publisher nor other subscribers know
 * analytics exists. A listener that throws leaves the message on the queue; after
 * {@link Topology#MAX_RECEIVE_COUNT} receives it moves to the DLQ.
 */
@Component
class OrderListeners {
    private final OrderFacts facts;
    private final Counter duplicates;

    OrderListeners(OrderFacts facts, MeterRegistry registry) {
        this.facts = facts;
        this.duplicates = Counter.builder("analytics.orders.duplicates")
                .description("Order events delivered again")
                .register(registry);
    }

    @SqsListener(Topology.ANALYTICS_ORDERS)
    void onOrderEvent(@SnsNotificationMessage OrderEvent event) {
        if (!facts.record(event.requireComplete())) {
            duplicates.increment();
        }
    }

    @SqsListener(Topology.ORDER_REVIEW)
    void onHighValueOrder(OrderEvent event) {
        if (event.requireComplete().total() == null) {
            throw new IllegalArgumentException("a high-value order without a total: " + event);
        }
        if (!facts.recordHighValue(event)) {
            duplicates.increment();
        }
    }
}
