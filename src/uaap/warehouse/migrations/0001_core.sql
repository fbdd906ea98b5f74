-- 0001: the core tables of DESIGN.md. Append-only: later changes go in new files.

create table runs (
    run_id           varchar primary key,
    flow             varchar not null,
    parameters       json,
    git_commit       varchar,
    package_versions json,
    started_at       timestamp not null,
    finished_at      timestamp,
    status           varchar not null,      -- running | completed | failed
    summary          json
);

create table benches (
    bench_id    varchar primary key,        -- the bench name
    recipe      varchar,
    params      json,
    source_dir  varchar,
    created_at  timestamp not null default now()
);

create table clips (
    bench_id      varchar not null,
    clip_id       varchar not null,
    audio_path    varchar,
    audio_sha256  varchar,
    duration_s    double,
    sample_rate   integer,
    channels      integer,
    languages     varchar[],
    num_speakers  integer,
    snr_db        double,
    overlap       boolean,
    recipe        varchar,
    key_sha256    varchar not null,
    meta          json,
    primary key (bench_id, clip_id)
);

create table answer_events (
    bench_id        varchar not null,
    clip_id         varchar not null,
    event_idx       integer not null,
    type            varchar not null,
    start_s         double not null,
    end_s           double not null,
    transcription   varchar,
    speaker_id      varchar,
    language        varchar,
    emotion         varchar,
    speaking_style  varchar,
    vocal_burst     varchar,
    description     varchar,
    loudness        varchar,
    event_json      json not null,          -- the whole event, every field
    primary key (bench_id, clip_id, event_idx)
);

create table systems (
    system_id    varchar primary key,       -- the system name
    kind         varchar not null,          -- imported | builtin | pipeline
    config       json,
    config_hash  varchar,
    created_at   timestamp not null default now()
);

-- one row per (system, clip): what the system handed in for the clip
create table prediction_sets (
    system_id   varchar not null,
    bench_id    varchar not null,
    clip_id     varchar not null,
    status      varchar not null,           -- ok | missing | file_error
    source      varchar,
    pred_sha256 varchar not null,
    n_events    integer not null,
    n_invalid   integer not null,
    error       varchar,
    primary key (system_id, bench_id, clip_id)
);

-- one row per predicted event, valid or not (invalid ones keep their reason)
create table predictions (
    system_id       varchar not null,
    bench_id        varchar not null,
    clip_id         varchar not null,
    event_idx       integer not null,       -- position in the submitted file
    valid           boolean not null,
    invalid_field   varchar,
    invalid_reason  varchar,
    type            varchar,
    start_s         double,
    end_s           double,
    transcription   varchar,
    speaker_id      varchar,
    language        varchar,
    emotion         varchar,
    speaking_style  varchar,
    vocal_burst     varchar,
    description     varchar,
    loudness        varchar,
    event_json      json,
    primary key (system_id, bench_id, clip_id, event_idx)
);

create table profiles (
    profile_id   varchar primary key,       -- name:param-hash:embedder
    name         varchar not null,
    params       json not null,
    embedder_id  varchar not null
);

create table embeddings (
    embedder_id  varchar not null,
    text_sha256  varchar not null,
    text         varchar not null,
    vector       float[] not null,
    primary key (embedder_id, text_sha256)
);

-- one row per answer-key event and scoring: its partner and every factor of its score
create table event_matches (
    profile_id     varchar not null,
    system_id      varchar not null,
    bench_id       varchar not null,
    clip_id        varchar not null,
    type           varchar not null,
    key_idx        integer not null,
    pred_idx       integer,                 -- index into the clip's valid predictions; null = missed
    language       varchar,
    iou            double not null,
    cos            double not null,
    word_acc       double,
    wer_edits      integer not null,
    wer_ref_units  integer not null,
    meaning        double not null,
    spk_ok         boolean,
    reward         double not null,
    score          double not null,
    iou_cos        double not null,
    primary key (profile_id, system_id, bench_id, clip_id, type, key_idx)
);

-- one row per prediction and scoring (invalid ones included): hallucinated or not
create table pred_outcomes (
    profile_id  varchar not null,
    system_id   varchar not null,
    bench_id    varchar not null,
    clip_id     varchar not null,
    pred_idx    integer not null,
    type        varchar,
    valid       boolean not null,
    halluc      boolean not null,
    key_idx     integer,
    primary key (profile_id, system_id, bench_id, clip_id, pred_idx)
);

-- one row per clip and scoring: sums and counts (sum, then divide)
create table clip_scores (
    profile_id        varchar not null,
    system_id         varchar not null,
    bench_id          varchar not null,
    clip_id           varchar not null,
    key_sha256        varchar not null,
    pred_sha256       varchar not null,
    n_key             integer not null,
    n_pred            integer not null,
    n_invalid         integer not null,
    n_halluc          integer not null,
    n_matched         integer not null,
    score_sum         double not null,
    reward_sum        double not null,
    iou_cos_sum       double not null,
    iou_sum           double not null,
    precision         double not null,
    recall            double not null,
    f1                double not null,
    wer_edits         integer not null,
    wer_ref_units     integer not null,
    n_speech_matched  integer not null,
    how_cos_sum       double not null,
    n_snd_matched     integer not null,
    snd_cos_sum       double not null,
    n_spk_ok          integer not null,
    primary key (profile_id, system_id, bench_id, clip_id)
);

create table expert_outputs (
    clip_sha256     varchar not null,
    expert          varchar not null,
    expert_version  varchar not null,
    config_hash     varchar not null,
    payload         json,
    elapsed_s       double,
    status          varchar not null,
    error           varchar,
    created_at      timestamp not null default now(),
    primary key (clip_sha256, expert, expert_version, config_hash)
);

create table errors (
    run_id      varchar not null,
    step        varchar not null,
    bench_id    varchar not null default '',
    clip_id     varchar not null default '',
    system_id   varchar not null default '',
    item        varchar not null default '',  -- e.g. 'event 3' or a file name
    message     varchar not null,
    detail      varchar,                      -- traceback excerpt or offending value
    created_at  timestamp not null default now(),
    primary key (run_id, step, bench_id, clip_id, system_id, item)
);

-- audio content hashes by (path, size, mtime) so audio is never re-hashed needlessly
create table file_hashes (
    path       varchar primary key,
    size       bigint not null,
    mtime_ns   bigint not null,
    sha256     varchar not null
);
