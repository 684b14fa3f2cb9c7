-- Orders as the service owns them; money as numeric, never floating point.
create table orders (
    id           uuid primary key,
    customer_id  text          not null,
    session_id   text,
    fulfillment  text          not null check (fulfillment in ('SHIP', 'DIGITAL')),
    country      char(2)       not null,
    currency     char(3)       not null,
    total        numeric(14, 2) not null check (total > 0),
    status       text          not null check (status in ('PLACED', 'SHIPPED', 'DELIVERED', 'CANCELLED')),
    placed_at    timestamptz   not null,
    updated_at   timestamptz   not null
);
-- GET /orders?status= pages newest first.
create index orders_by_status on orders (status, placed_at desc, id);
create index orders_by_time on orders (placed_at desc, id);

create table order_lines (
    order_id    uuid           not null references orders (id),
    line_no     int            not null,
    sku         text           not null,
    quantity    int            not null check (quantity > 0),
    unit_price  numeric(14, 2) not null check (unit_price > 0),
    primary key (order_id, line_no)
);

-- Every status an order went through, in the order it was applied: proves that shipment updates were
-- applied in sequence, and says which event caused each change.
create table order_status_history (
    id            bigint generated always as identity primary key,
    order_id      uuid        not null references orders (id),
    status        text        not null,
    cause_event_id uuid,
    changed_at    timestamptz not null
);
create index order_status_history_by_order on order_status_history (order_id, id);

-- Idempotency-Key of POST /orders. The primary key serialises two concurrent requests with the same key;
-- the reference to the order is checked at commit because the key is claimed before the order exists.
create table idempotency_keys (
    idempotency_key text        primary key,
    request_hash    text        not null,
    order_id        uuid        not null references orders (id) deferrable initially deferred,
    created_at      timestamptz not null
);
create index idempotency_keys_by_age on idempotency_keys (created_at);
