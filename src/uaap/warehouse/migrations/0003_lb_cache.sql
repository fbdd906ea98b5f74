-- 0003: a materialised copy of the lb_* views, so `uaap leaderboard` answers at once on big
-- warehouses. The views stay the source of truth: the copy is refreshed after scoring and by
-- compile_leaderboards, and a reader uses it only while its fingerprint still matches clip_scores.

-- one row per profile × bench × system × leaderboard row (grouping, group_value), as the views give it
create table lb_cache (
    profile_id     varchar not null,
    bench_id       varchar not null,
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
    primary key (profile_id, bench_id, system_id, grouping, group_value)
);

-- one row per profile × bench: the clip_scores fingerprint the cached rows were computed from
create table lb_cache_state (
    profile_id    varchar not null,
    bench_id      varchar not null,
    fingerprint   varchar not null,
    refreshed_at  timestamp not null default now(),
    primary key (profile_id, bench_id)
);
