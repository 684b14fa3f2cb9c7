package io.decoupled.shipping.outbox;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Transactional outbox, the writing side. Appending joins the caller's transaction (and refuses to run
 * without one), so an event commits or rolls back with the shipment it describes: no shipment without its
 * event, no event for a shipment that rolled back (the dual write this prevents).
 */
@Component
public class Outbox {
    private final OutboxRepository repository;
    private final OutboxRelay relay;
    private final ObjectProvider<Tracer> tracer;
    private final ObjectProvider<Propagator> propagator;

    Outbox(
            OutboxRepository repository,
            OutboxRelay relay,
            ObjectProvider<Tracer> tracer,
            ObjectProvider<Propagator> propagator) {
        this.repository = repository;
        this.relay = relay;
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void append(OutboxMessage message) {
        // The writer's trace context goes into the row, so the relay publishes it and not its own.
        repository.insert(message, TraceContext.current(tracer.getIfAvailable(), propagator.getIfAvailable()));
        // Wake the relay once the row is visible, so an event does not wait for the next poll.
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        });
    }
}
