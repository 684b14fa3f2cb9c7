/**
 * Orders: every order event from {@code analytics-orders} (the unfiltered fan-out subscriber, SNS envelope)
 * and the high-value orders that {@code order-review}'s body filter lets through (raw), each deduplicated on event id.
 */
package io.decoupled.analytics.orders;
