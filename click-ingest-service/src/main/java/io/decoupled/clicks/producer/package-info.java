/**
 * A batching Kinesis producer: bounded buffer, PutRecords calls of up to 500 records and 5 MiB, one record per
 * partition key in flight (per-key order), retry of only the failed entries with backoff and jitter, metrics.
 */
package io.decoupled.clicks.producer;
