/**
 * The clickstream on Kafka ({@code clickstream.backend=kafka}): the Kafka adapter of the producer port, an idempotent
 * {@code KafkaTemplate} keyed by session, its enforced settings, the topic it creates, and MSK IAM authentication when
 * switched on.
 */
package io.decoupled.clicks.kafka;
