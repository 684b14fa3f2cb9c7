package io.decoupled.order.outbox;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Transactional outbox, the writing side. Appending joins the caller's transaction (and refuses to run without
 * one), so the event commits or rolls back with the state change it describes. This prevents the dual write:
 * a committed order whose event was never published, or a published event for an order that rolled back.
 */
@Component
public class Outbox {
    private final OutboxRepository repository;
    private final OutboxRelay relay;
    private final TraceContextCapture traceContext;

    Outbox(OutboxRepository repository, OutboxRelay relay, TraceContextCapture traceContext) {
        this.repository = repository;
        this.relay = relay;
        this.traceContext = traceContext;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void append(OutboxMessage message) {
        // The writer's trace context goes into the row, so the relay publishes it and not its own.
        repository.insert(traceContext.stamp(message));
        // Wake the relay once the row is visible, so latency does not wait for the next poll.
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        });
    }
}
