-- Model registry schema (Flyway V2).

-- A retried registration must be the same request: the SHA-256 of the canonical request body is kept with its
-- Idempotency-Key, and a reuse of the key with another body is refused (422) instead of answered with the
-- version of the first body. Rows from before V2 have no fingerprint and keep the old behaviour.
alter table model_versions add column idempotency_fingerprint char(64)
    check (idempotency_fingerprint ~ '^[0-9a-f]{64}$');

-- Outbox of alias changes to copy into MLflow's registry: one row per model and alias, written in the same
-- transaction as the change. The mirror reconciles the alias' current state (set or deleted), so repeated
-- changes collapse into one row; seq tells a worker whether the alias changed again while it was working.
create table alias_mirror_jobs (
    model_id   bigint      not null references registered_models (id) on delete cascade,
    alias      text        not null check (alias ~ '^[A-Za-z][A-Za-z0-9_-]{0,63}$'),
    seq        bigint      not null default 1,
    attempts   integer     not null default 0,
    error      text,
    next_at    timestamptz not null default now(),
    primary key (model_id, alias)
);
create index alias_mirror_jobs_due_idx on alias_mirror_jobs (next_at);
