-- The cancellation saga (docs/saga.md): a SHIP order's cancellation is a request that shipping-service answers,
-- and the order waits for the answer in CANCELLING.
alter table orders drop constraint orders_status_check;
alter table orders add constraint orders_status_check
    check (status in ('PLACED', 'CANCELLING', 'SHIPPED', 'DELIVERED', 'CANCELLED'));
-- Why a step happened, in words: the cancellation request, shipping's answer and its reason. A step whose status
-- equals the previous one only records such a message (a refusal that arrived after the dispatch it names).
alter table order_status_history add column note text;
