/**
 * The KCL 3 worker: its Kinesis, DynamoDB and CloudWatch clients from Spring Cloud AWS settings, lease and
 * timing settings as properties, and a lifecycle that starts the scheduler and shuts it down gracefully.
 */
package io.decoupled.analytics.kcl;
