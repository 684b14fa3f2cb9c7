/**
 * The clickstream as an operator sees it: shards, ingest rate per shard from the records themselves, and
 * the KCL consumer's lag per shard from its checkpoints in DynamoDB.
 */
package io.decoupled.console.stream;
