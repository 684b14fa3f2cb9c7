-- Shipment events already applied, by event id: a redelivered or re-published update is recognised and skipped.
create table processed_shipment_events (
    event_id      uuid        primary key,
    order_id      uuid        not null,
    event_type    text        not null,
    outcome       text        not null,
    processed_at  timestamptz not null
);
