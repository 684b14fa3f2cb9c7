package io.decoupled.shipping.redrive;

/** Approximate counts of the DLQ, as SQS reports them. */
record DeadLetterQueueDepth(String queue, long visible, long inFlight) {}
