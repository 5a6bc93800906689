-- Model registry schema (Flyway V1). Names and keys are checked here as well as in the API,
-- so a bad row cannot enter through any path.

create table api_keys (
    id          bigserial primary key,
    name        text        not null unique check (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    key_hash    char(64)    not null unique check (key_hash ~ '^[0-9a-f]{64}$'),  -- SHA-256 hex; plaintext never stored
    role        text        not null check (role in ('reader', 'writer', 'admin')),
    created_at  timestamptz not null default now(),
    created_by  text        not null,
    revoked_at  timestamptz
);

create table registered_models (
    id          bigserial primary key,
    name        text        not null unique check (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'),
    description text        not null default '' check (length(description) <= 5000),
    row_version bigint      not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    created_by  text        not null
);
-- keyset pagination orders (name is covered by its unique index)
create index registered_models_created_idx on registered_models (created_at, id);
create index registered_models_updated_idx on registered_models (updated_at, id);

create table model_tags (
    model_id bigint not null references registered_models (id) on delete cascade,
    key      text   not null check (key ~ '^[A-Za-z0-9_.-]{1,250}$'),
    value    text   not null check (length(value) <= 5000),
    primary key (model_id, key)
);
create index model_tags_key_value_idx on model_tags (key, value);

create table model_versions (
    id              bigserial primary key,
    model_id        bigint      not null references registered_models (id) on delete restrict,
    version         integer     not null check (version > 0),
    description     text        not null default '' check (length(description) <= 5000),
    stage           text        not null default 'None' check (stage in ('None', 'Staging', 'Production', 'Archived')),
    pipeline_run_id text check (length(pipeline_run_id) <= 250),
    mlflow_run_id   text check (mlflow_run_id ~ '^[A-Za-z0-9_-]{1,64}$'),
    code_version    text check (length(code_version) <= 250),
    dataset_id      text check (length(dataset_id) <= 250),
    corpus_id       text check (length(corpus_id) <= 250),
    per_class       jsonb,      -- per-class metrics {class: {metric: value}}; searchable metrics are in version_metrics
    row_version     bigint      not null default 1,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    created_by      text        not null,
    mirror_status   text        not null default 'DISABLED' check (mirror_status in ('DISABLED', 'PENDING', 'MIRRORED', 'FAILED')),
    mirror_attempts integer     not null default 0,
    mirror_error    text,
    mirror_version  text,
    mirror_next_at  timestamptz,
    idempotency_key text check (length(idempotency_key) between 1 and 128),  -- retried creates return the same version
    unique (model_id, version),
    unique (model_id, idempotency_key)
);
create index model_versions_created_idx on model_versions (created_at, id);
create index model_versions_mirror_idx on model_versions (mirror_next_at) where mirror_status = 'PENDING';

create table version_artifacts (
    version_id bigint not null references model_versions (id) on delete cascade,
    name       text   not null check (name ~ '^[A-Za-z0-9_.-]{1,128}$'),
    uri        text   not null check (length(uri) between 1 and 2048),
    sha256     char(64) not null check (sha256 ~ '^[0-9a-f]{64}$'),
    primary key (version_id, name)
);

-- flattened scalar metrics: overall "acc", shot splits "many_acc" / "medium_acc" / "few_acc", ...
create table version_metrics (
    version_id bigint           not null references model_versions (id) on delete cascade,
    key        text             not null check (key ~ '^[A-Za-z0-9_.-]{1,128}$'),
    value      double precision not null check (value = value),   -- no NaN
    primary key (version_id, key)
);
create index version_metrics_key_value_idx on version_metrics (key, value);

create table version_tags (
    version_id bigint not null references model_versions (id) on delete cascade,
    key        text   not null check (key ~ '^[A-Za-z0-9_.-]{1,250}$'),
    value      text   not null check (length(value) <= 5000),
    primary key (version_id, key)
);
create index version_tags_key_value_idx on version_tags (key, value);

create table model_aliases (
    model_id   bigint      not null references registered_models (id) on delete cascade,
    alias      text        not null check (alias ~ '^[A-Za-z][A-Za-z0-9_-]{0,63}$'),
    version_id bigint      not null references model_versions (id) on delete restrict,
    updated_at timestamptz not null default now(),
    updated_by text        not null,
    primary key (model_id, alias)
);
create index model_aliases_version_idx on model_aliases (version_id);

-- promotion gate per model: guarded aliases and the largest allowed drop per metric
create table promotion_policies (
    model_id        bigint  not null primary key references registered_models (id) on delete cascade,
    guarded_aliases text[]  not null default array['production'],
    max_drop        jsonb   not null default '{}'::jsonb,  -- {"acc": 0.01, "few_acc": 0.02} (absolute, same scale as metric)
    min_value       jsonb   not null default '{}'::jsonb,  -- {"few_acc": 0.3}
    updated_at      timestamptz not null default now()
);

create table audit_log (
    id          bigserial primary key,
    at          timestamptz not null default now(),
    actor       text        not null,
    action      text        not null,
    entity_type text        not null,
    entity_key  text        not null,
    before      jsonb,
    after       jsonb,
    request_id  text
);
create index audit_log_entity_idx on audit_log (entity_type, entity_key, id);
create index audit_log_actor_idx on audit_log (actor, id);
