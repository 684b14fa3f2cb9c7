/**
 * The clickstream archived to S3 by Kinesis Data Firehose: compressed, partitioned by date, failures set aside
 * under their own prefix. Depends on messaging (the stream and its key) only.
 */
package io.decoupled.infra.archive;
