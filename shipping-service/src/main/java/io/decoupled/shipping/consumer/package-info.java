/**
 * A generic SQS consumer on the AWS SDK: long polling, a resizable worker pool, a visibility heartbeat,
 * batched deletes and retry by visibility. It knows nothing about shipments; handlers plug in.
 */
package io.decoupled.shipping.consumer;
