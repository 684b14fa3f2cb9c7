/**
 * The clickstream read from Kafka ({@code analytics.clickstream.backend=kafka}): the consumer's enforced settings and the
 * batch listener container with manual acknowledgement, and MSK IAM authentication when switched on. The listener
 * itself lives with the clicks feature.
 */
package io.decoupled.analytics.kafka;
