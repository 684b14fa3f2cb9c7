/**
 * Transactional outbox for shipment-events.fifo: events are written in the transaction that changes the
 * shipment and relayed to the SNS FIFO topic afterwards, so no event is lost or invented by a crash.
 */
package io.decoupled.shipping.outbox;
