-- The relay parks an entry SNS keeps rejecting (after a bounded number of attempts) instead of retrying it forever,
-- as order-service's relay does: the row is kept, counted and shown, never silently dropped. A parked row holds
-- back the later events of its FIFO group (see OutboxRepository.claim).
alter table outbox add column parked_at timestamptz;
drop index outbox_pending;
create index outbox_pending on outbox (id) where published_at is null and parked_at is null;
create index outbox_unpublished_by_group on outbox (group_id, id) where published_at is null;
create index outbox_published on outbox (published_at) where published_at is not null;
