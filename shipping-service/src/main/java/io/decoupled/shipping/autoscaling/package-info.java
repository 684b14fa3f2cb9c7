/**
 * Backlog-per-worker autoscaling: the policy as plain code, and the loop that samples the queue and resizes
 * the consumer's worker pool. The CDK app applies the same policy to ECS tasks with target tracking.
 */
package io.decoupled.shipping.autoscaling;
