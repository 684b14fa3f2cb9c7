/**
 * The clickstream on Kafka ({@code clickstream.backend=kafka}): the Kafka adapter of the producer port, an idempotent
 * {@code KafkaTemplate} keyed by session, its enforced settings, and the topic it creates.
 */
package io.decoupled.clicks.kafka;
