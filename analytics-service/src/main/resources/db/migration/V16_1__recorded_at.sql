-- When analytics counted each order and shipment event (occurred_at is when the sender says it happened): the last
-- hop of an order's path on the console. Rows that existed before this column read as counted at migration time.
alter table order_event add column recorded_at timestamptz not null default clock_timestamp();
alter table shipment_event add column recorded_at timestamptz not null default clock_timestamp();
