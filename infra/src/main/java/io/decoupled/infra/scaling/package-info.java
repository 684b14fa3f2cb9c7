/**
 * The scaling stack: the shipping-service task count follows backlog per task, the same policy the service
 * applies to its worker pool locally, expressed as target tracking on a CloudWatch metric-math expression.
 */
package io.decoupled.infra.scaling;
