-- The transactional outbox: written in the same transaction as the order, drained by the relay.
-- Rows stay after publishing (published_at set) for audit until the retention job removes them.
create table outbox (
    id            bigint generated always as identity primary key,
    event_id      uuid        not null unique,
    aggregate_id  text        not null,
    event_type    text        not null,
    payload       text        not null,
    attributes    jsonb       not null,
    created_at    timestamptz not null,
    published_at  timestamptz,
    attempts      int         not null default 0,
    last_error    text,
    -- set when SNS rejected the entry as the sender's fault too often: kept, counted, never silently dropped
    parked_at     timestamptz
);
-- The relay only ever scans pending rows; a partial index keeps that scan small however large the table grows.
create index outbox_pending on outbox (id) where published_at is null and parked_at is null;
create index outbox_published on outbox (published_at) where published_at is not null;
