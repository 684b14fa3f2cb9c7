/**
 * Consumes shipment-updates.fifo (ordered per order id) and advances orders: SHIPPED on dispatch, DELIVERED on
 * delivery, and the cancellation saga's answers (ShipmentCancelled, CancellationRefused). Deduplicates on the event
 * id; stale updates are recorded and change nothing.
 */
package io.decoupled.order.shipment;
