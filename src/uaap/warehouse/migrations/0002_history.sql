-- 0002: nightly history, so that last night can be compared with tonight after clip_scores were
-- overwritten. Append-only: later changes go in new files.

-- one row per nightly run × bench × profile × system × leaderboard row: the lb_* views as they stood
-- after that run (grouping 'overall' has group_value ''), with 95 % clip-bootstrap intervals
create table lb_snapshots (
    run_id         varchar not null,
    night          date not null,
    bench_id       varchar not null,
    profile_id     varchar not null,
    system_id      varchar not null,
    grouping       varchar not null,        -- overall | type | language | snr | overlap
    group_value    varchar not null,        -- '' for overall; 'true'/'false' for overlap
    n_clips        integer,
    reward         double,
    iou_cos        double,
    iou            double,
    f1             double,
    recall         double,
    wer            double,
    how_cos        double,
    snd_cos        double,
    spk_acc        double,
    halluc         double,
    pred_per_clip  double,
    true_per_clip  double,
    ci             json,                    -- {"reward": [lo, hi], ...}; null columns are left out
    created_at     timestamp not null default now(),
    primary key (run_id, bench_id, profile_id, system_id, grouping, group_value)
);

-- one row per nightly run × bench × profile × system × clip × leaderboard row the clip counts in:
-- the per-clip sums and counts of prep_clip_groups at that run, all a paired bootstrap between two
-- nights needs. No primary key: rows are only ever replaced per run (delete, then insert), and an
-- index over years of nights would cost more than the rows.
create table clip_group_snapshots (
    run_id            varchar not null,
    night             date not null,
    bench_id          varchar not null,
    profile_id        varchar not null,
    system_id         varchar not null,
    clip_id           varchar not null,
    grouping          varchar not null,
    group_value       varchar not null,
    in_group          boolean not null,
    n_key             integer not null,
    n_pred            integer not null,
    n_halluc          integer not null,
    reward_sum        double not null,
    iou_cos_sum       double not null,
    iou_sum           double not null,
    f1                double not null,
    recall            double not null,
    wer_edits         integer not null,
    wer_ref_units     integer not null,
    n_speech_matched  integer not null,
    how_cos_sum       double not null,
    n_snd_matched     integer not null,
    snd_cos_sum       double not null,
    n_spk_ok          integer not null
);
