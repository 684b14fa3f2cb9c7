/**
 * Queue depths read straight from SQS (visible, in flight, dead-lettered) for every queue of the topology,
 * and the poison-message injector the dashboard's button and the load generator use.
 */
package io.decoupled.console.queues;
