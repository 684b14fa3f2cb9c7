package io.decoupled.shipping.outbox;

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

    Outbox(OutboxRepository repository, OutboxRelay relay) {
        this.repository = repository;
        this.relay = relay;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void append(OutboxMessage message) {
        repository.insert(message);
        // Wake the relay once the row is visible, so an event does not wait for the next poll.
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        });
    }
}
