-- Aggregates of analytics-service. Every source is deduplicated in the same transaction as its effect:
-- clicks on click_id, order and shipment events on event_id, so a replay or a redelivery changes nothing.

-- Clicks already counted (the KCL may deliver a record again after a lease moves or a worker restarts).
create table counted_click (
    click_id   uuid primary key,
    counted_at timestamptz not null default now()
);

-- Tumbling one-minute windows by event time (the click's own timestamp), so a replay lands in the same window.
create table page_minute (
    page   text        not null,
    minute timestamptz not null,
    clicks bigint      not null,
    primary key (minute, page)
);

create table session_minute (
    minute     timestamptz not null,
    session_id text        not null,
    clicks     bigint      not null,
    primary key (minute, session_id)
);

-- One row per session: first and last click, and how often a click arrived older than the one before it
-- (per-session order is what the partition key promises; this column would show it broken).
create table session_activity (
    session_id   text primary key,
    first_click  timestamptz not null,
    last_click   timestamptz not null,
    clicks       bigint      not null,
    out_of_order bigint      not null default 0
);

-- Records that could not be parsed: kept for inspection instead of blocking the shard.
create table rejected_record (
    shard_id        text        not null,
    sequence_number text        not null,
    reason          text        not null,
    rejected_at     timestamptz not null default now(),
    primary key (shard_id, sequence_number)
);

-- Every order event from analytics-orders (the unfiltered fan-out subscriber).
create table order_event (
    event_id    uuid primary key,
    event_type  text          not null,
    order_id    text          not null,
    session_id  text,
    total       numeric(14, 2),
    currency    text,
    country     text,
    occurred_at timestamptz   not null
);
create index order_event_session on order_event (session_id) where session_id is not null;

-- Orders the order-review subscription let through (total >= the review threshold).
create table high_value_order (
    event_id    uuid primary key,
    order_id    text           not null,
    total       numeric(14, 2) not null,
    currency    text,
    occurred_at timestamptz    not null
);

-- Shipment events from analytics-shipments.fifo; a shipment's delivery time is delivered_at - dispatched_at.
create table shipment_event (
    event_id    uuid primary key,
    event_type  text        not null,
    shipment_id text        not null,
    order_id    text        not null,
    occurred_at timestamptz not null
);

create table shipment (
    shipment_id   text primary key,
    order_id      text not null,
    dispatched_at timestamptz,
    delivered_at  timestamptz
);
