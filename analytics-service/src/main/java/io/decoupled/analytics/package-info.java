/**
 * analytics-service: consumes the clickstream (KCL) and the order and shipment queues, and serves aggregates.
 * Features: {@code clicks}, {@code orders}, {@code shipments}, {@code funnel}; {@code kcl} runs the Kinesis worker.
 */
package io.decoupled.analytics;
