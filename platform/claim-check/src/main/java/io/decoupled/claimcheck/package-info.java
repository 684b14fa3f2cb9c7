/**
 * The claim check's reading side (payloads past 256 KiB kept in S3, a pointer in the message), shared by every consumer
 * of order events: {@link io.decoupled.claimcheck.PayloadPointers}. The writing side is order-service's outbox relay
 * (the SNS Extended Client); the bucket and its lifecycle are the CDK app's. The S3 client both sides use is built once,
 * by {@link io.decoupled.claimcheck.PayloadS3ClientConfiguration}. See docs/large-payloads.md.
 */
package io.decoupled.claimcheck;
