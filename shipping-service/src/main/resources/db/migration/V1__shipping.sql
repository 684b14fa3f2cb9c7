-- Idempotent consumer: one row per handled OrderPlaced event id, written in the same transaction as the
-- shipment, so a redelivered or duplicated message finds its event id and changes nothing.
create table processed_event (
    event_id     uuid primary key,
    processed_at timestamptz not null default clock_timestamp()
);

create table shipment (
    id              uuid primary key,
    order_id        uuid not null unique,  -- one shipment per order, a second line of defence against duplicates
    event_id        uuid not null references processed_event (event_id),
    customer_id     text,
    country         text not null,
    carrier         text not null,
    tracking_number text not null,
    status          text not null check (status in ('DISPATCHED', 'DELIVERED')),
    dispatched_at   timestamptz not null,
    delivered_at    timestamptz
);
create index shipment_in_transit on shipment (dispatched_at) where status = 'DISPATCHED';

-- Transactional outbox for shipment-events.fifo: written with the shipment, drained by the relay.
create table outbox (
    id           bigint generated always as identity primary key,
    event_id     uuid not null unique,
    group_id     text not null,          -- the FIFO message group: the order id
    event_type   text not null,
    payload      text not null,
    created_at   timestamptz not null default clock_timestamp(),
    published_at timestamptz,
    attempts     int not null default 0,
    last_error   text
);
create index outbox_pending on outbox (id) where published_at is null;
