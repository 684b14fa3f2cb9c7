/**
 * click-ingest-service: accepts clicks over HTTP and writes them to the {@code clickstream} Kinesis stream.
 * {@code click} owns the HTTP contract and the wire record; {@code producer} owns batching, retries and back-pressure.
 */
package io.decoupled.clicks;
