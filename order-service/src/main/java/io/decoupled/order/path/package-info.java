/**
 * One order's path through order-service, read back from what the service already keeps: the order row, its
 * outbox rows (written, published, trace context), the shipment events applied and the status history.
 */
package io.decoupled.order.path;
