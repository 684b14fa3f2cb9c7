-- The outbox relayed in commit order (docs/order-service.md, "The relay"): one position instead of a write per row.
--
-- Each row records the transaction that wrote it (tx). A transaction whose id is below the oldest one still running
-- (pg_snapshot_xmin) has ended, so no row can appear later with a (tx, id) below such rows: the relay reads rows after
-- its position in (tx, id) order, only from ended transactions, and moves the position past what SNS accepted. It locks
-- and updates no outbox row on the way.
--
-- Rows written before this migration all get its transaction's id, in their id order.
alter table outbox add column tx xid8 not null default pg_current_xact_id();
-- Rejected by SNS and set aside, so the position can move on; the retry path publishes them (published_at) or parks
-- them (parked_at).
alter table outbox add column retry_since timestamptz;

create index outbox_order on outbox (tx, id);
create index outbox_retry on outbox (id) where retry_since is not null and published_at is null and parked_at is null;
-- Published rows are found through the position now: neither the claim index nor the published one is needed, and each
-- was one more entry to write for every order.
drop index outbox_pending;
drop index outbox_published;

-- One row: how far the relay got, and which relay may move it (a lease, so instances take over from one that died).
create table outbox_position (
    singleton   boolean     primary key default true check (singleton),
    tx          xid8        not null,
    last_id     bigint      not null,
    moved_at    timestamptz not null,
    owner       text,
    lease_until timestamptz
);
-- Past every row written before, except those still pending: the relay starts at the first of them, and skips rows
-- after it that the claiming relay had already published (published_at set).
insert into outbox_position (tx, last_id, moved_at)
select pg_current_xact_id(),
       coalesce((select min(id) - 1 from outbox where published_at is null and parked_at is null),
                (select max(id) from outbox),
                0),
       clock_timestamp();

-- When each move of the position happened: the publishing time of the rows it passed (the order's path shows it).
create table outbox_publication (
    tx           xid8        not null,
    last_id      bigint      not null,
    published_at timestamptz not null,
    primary key (tx, last_id)
);

-- Each row's state, derived once here for every reader (the order's path, tests, operators):
-- PUBLISHED (position passed it, not set aside; or published by the retry path), PARKED, or PENDING.
create view outbox_status as
select o.id,
       o.event_id,
       o.aggregate_id,
       o.event_type,
       o.attributes,
       o.created_at,
       o.attempts,
       o.last_error,
       o.parked_at,
       o.retry_since,
       case
           when o.parked_at is not null then 'PARKED'
           when o.published_at is not null then 'PUBLISHED'
           when o.retry_since is null and (o.tx, o.id) <= (p.tx, p.last_id) then 'PUBLISHED'
           else 'PENDING'
       end as state,
       case
           when o.parked_at is not null then null
           when o.published_at is not null then o.published_at
           when o.retry_since is null and (o.tx, o.id) <= (p.tx, p.last_id) then
               (select u.published_at
                from outbox_publication u
                where (u.tx, u.last_id) >= (o.tx, o.id)
                order by u.tx, u.last_id
                limit 1)
       end as published_at
from outbox o
cross join outbox_position p;
