/**
 * shipping-service: consumes placed orders from the {@code shipping-orders} queue, books a carrier, records
 * shipments in PostgreSQL and announces them on {@code shipment-events.fifo}. Feature packages below.
 */
package io.decoupled.shipping;
