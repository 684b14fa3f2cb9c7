/**
 * What every batched SQS call of this service shares: entries numbered by their index in the batch, so a response's
 * {@code successful()} and {@code failed()} ids lead straight back to the message they belong to, and lists cut into
 * the batches of at most ten that SQS accepts.
 */
package io.decoupled.shipping.sqs;
