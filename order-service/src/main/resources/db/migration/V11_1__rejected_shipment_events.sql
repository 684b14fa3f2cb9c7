-- Shipment updates that can never be applied (unparseable, or values the tables cannot hold), set aside with their
-- reason so that they neither block their order's FIFO group nor vanish. Sanitised before writing: no NUL, bounded.
create table rejected_shipment_events (
    id          bigint generated always as identity primary key,
    message_id  text,
    event_id    uuid,
    order_id    uuid,
    body        text        not null,
    reason      text        not null,
    rejected_at timestamptz not null
);
create index rejected_shipment_events_by_time on rejected_shipment_events (rejected_at);
