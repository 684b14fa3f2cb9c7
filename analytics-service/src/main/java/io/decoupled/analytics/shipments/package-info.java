/**
 * Shipments: events from {@code analytics-shipments.fifo} (ordered per order, deduplicated on event id) and
 * the delivery times computed from them (dispatched to delivered).
 */
package io.decoupled.analytics.shipments;
