package io.decoupled.console.queues;

/**
 * One queue as SQS reports it. {@code visible} waits for a consumer, {@code inFlight} is received and not yet
 * deleted (a consumer is working on it, or crashed and its visibility timeout has not run out yet).
 *
 * @param deadLetterQueue the queue's DLQ from the topology, or null for a DLQ itself
 * @param deadLetterVisible messages waiting in that DLQ, or null where there is none
 */
public record QueueDepth(
        String name,
        boolean fifo,
        long visible,
        long inFlight,
        long delayed,
        String deadLetterQueue,
        Long deadLetterVisible) {}
