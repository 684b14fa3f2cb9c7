-- The cancellation saga (docs/saga.md): orders cancelled before their shipment was dispatched. Remembered, not
-- only answered, so that an OrderPlaced arriving after its OrderCancelled (a standard queue does not keep order)
-- is never shipped. A refused cancellation leaves no row here: the shipment it refers to stays as it was.
create table cancellation (
    order_id     uuid primary key,
    event_id     uuid        not null,  -- the OrderCancelled that cancelled it first
    cancelled_at timestamptz not null
);
