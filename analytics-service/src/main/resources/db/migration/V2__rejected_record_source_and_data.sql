-- rejected_record holds every record analytics set aside, from the stream and from the queues, with its raw bytes
-- so that it can be inspected or replayed. For the stream, shard_id / sequence_number are the record's position;
-- for a queue they are the queue name and the SQS message id.
alter table rejected_record
    add column source        text not null default 'clickstream',
    add column partition_key text,
    add column data          bytea;
