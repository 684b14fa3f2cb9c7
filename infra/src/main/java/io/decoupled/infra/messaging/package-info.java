/**
 * The messaging stack, built from the shared topology definition: the encryption key, the SNS topics, the
 * SQS queues with their dead-letter queues, the subscriptions with their filter policies, and the stream.
 */
package io.decoupled.infra.messaging;
