-- The W3C trace context of the work that wrote the event (the processing of one shipping-orders message),
-- captured at write time so that the relay publishes that context and not its own. Null when there was none.
alter table outbox add column traceparent text;
alter table outbox add column tracestate text;
