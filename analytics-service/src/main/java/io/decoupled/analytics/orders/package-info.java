/**
 * Orders: every order event from {@code analytics-orders} (the unfiltered fan-out subscriber, SNS envelope)
 * and the high-value orders that {@code order-review}'s filter on the total attribute lets through (raw), each
 * deduplicated on event id; events past 256 KiB arrive as pointers to S3 and are resolved first (claim check).
 */
package io.decoupled.analytics.orders;
