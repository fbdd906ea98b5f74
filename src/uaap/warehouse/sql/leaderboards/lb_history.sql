-- lb_history: one row per night × bench × profile × system: the overall leaderboard row left by the
-- last nightly run of that night (lb_snapshots), its 95 % intervals (ci) and how Reward and F1 moved
-- since the previous night the system was scored. Per-breakdown history: query lb_snapshots.
create or replace view lb_history as
with snapshots as (
    select * from lb_snapshots where grouping = 'overall'
),
runs_in as (
    select run_id, started_at, status from runs
),
ranked as (
    select s.*, r.started_at, r.status as run_status,
           row_number() over (partition by s.night, s.bench_id, s.profile_id, s.system_id
                              order by r.started_at desc nulls last, s.created_at desc) as rank_in_night
    from snapshots s left join runs_in r using (run_id)
),
latest as (
    select * from ranked where rank_in_night = 1
),
final as (
    select night, bench_id, profile_id, system_id, run_id, run_status, started_at, n_clips,
           reward, iou_cos, iou, f1, recall, wer, how_cos, snd_cos, spk_acc, halluc, pred_per_clip, true_per_clip,
           ci,
           reward - lag(reward) over w as reward_change,
           f1 - lag(f1) over w as f1_change
    from latest
    window w as (partition by bench_id, profile_id, system_id order by night)
)
select * from final
