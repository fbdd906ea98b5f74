-- lb_by_type: one row per profile × bench × system × event type. Key-event columns come from
-- event_matches, prediction columns (halluc, #pred) from pred_outcomes; per-clip F1 and recall are
-- recomputed per type (R = Σscore/|key of type|, P = Σscore/|pred of type|) and averaged over the
-- clips that have the type in the key or the prediction.
create or replace view lb_by_type as
with matches as (
    select * from event_matches
),
outcomes as (
    select profile_id, system_id, bench_id, clip_id, coalesce(type, '(invalid)') as type, halluc
    from pred_outcomes
),
scored as (
    select distinct profile_id, system_id, bench_id, clip_id from clip_scores
),
key_by_clip as (
    select profile_id, system_id, bench_id, clip_id, type,
           count(*) as n_key, sum(score) as score_sum, sum(reward) as reward_sum,
           sum(iou_cos) as iou_cos_sum, sum(iou) as iou_sum,
           sum(wer_edits) as wer_edits, sum(wer_ref_units) as wer_ref_units,
           count(pred_idx) filter (where type = 'speech') as n_speech_matched,
           sum(cos) filter (where type = 'speech' and pred_idx is not null) as how_cos_sum,
           count(pred_idx) filter (where type in ('sound_event', 'music')) as n_snd_matched,
           sum(cos) filter (where type in ('sound_event', 'music') and pred_idx is not null) as snd_cos_sum,
           count(*) filter (where type = 'speech' and pred_idx is not null and spk_ok) as n_spk_ok
    from matches
    group by all
),
pred_by_clip as (
    select profile_id, system_id, bench_id, clip_id, type,
           count(*) as n_pred, count(*) filter (where halluc) as n_halluc
    from outcomes
    group by all
),
per_clip as (
    select profile_id, system_id, bench_id, clip_id, type,
           coalesce(k.n_key, 0) as n_key, coalesce(p.n_pred, 0) as n_pred,
           coalesce(p.n_halluc, 0) as n_halluc, coalesce(k.score_sum, 0) as score_sum,
           coalesce(k.reward_sum, 0) as reward_sum, coalesce(k.iou_cos_sum, 0) as iou_cos_sum,
           coalesce(k.iou_sum, 0) as iou_sum, coalesce(k.wer_edits, 0) as wer_edits,
           coalesce(k.wer_ref_units, 0) as wer_ref_units,
           coalesce(k.n_speech_matched, 0) as n_speech_matched, coalesce(k.how_cos_sum, 0) as how_cos_sum,
           coalesce(k.n_snd_matched, 0) as n_snd_matched, coalesce(k.snd_cos_sum, 0) as snd_cos_sum,
           coalesce(k.n_spk_ok, 0) as n_spk_ok
    from key_by_clip k full outer join pred_by_clip p using (profile_id, system_id, bench_id, clip_id, type)
),
per_clip_prf as (
    select *,
           case when n_key > 0 then score_sum / n_key else 0 end as recall,
           case when n_pred > 0 then score_sum / n_pred else 0 end as precision
    from per_clip
),
clips_per_system as (
    select profile_id, system_id, bench_id, count(*) as n_clips from scored group by all
),
final as (
    select
        p.profile_id, p.bench_id, p.system_id, p.type,
        count(*)                                                         as n_clips_with_type,
        sum(reward_sum)  / nullif(sum(n_key), 0)                         as reward,
        sum(iou_cos_sum) / nullif(sum(n_key), 0)                         as iou_cos,
        sum(iou_sum)     / nullif(sum(n_key), 0)                         as iou,
        avg(case when recall + precision > 0
                 then 2 * recall * precision / (recall + precision) else 0 end) as f1,
        avg(recall)                                                      as recall,
        sum(wer_edits)::double / nullif(sum(wer_ref_units), 0)           as wer,
        sum(how_cos_sum) / nullif(sum(n_speech_matched), 0)              as how_cos,
        sum(snd_cos_sum) / nullif(sum(n_snd_matched), 0)                 as snd_cos,
        sum(n_spk_ok)::double / nullif(sum(n_speech_matched), 0)         as spk_acc,
        sum(n_halluc)::double / nullif(sum(n_pred), 0)                   as halluc,
        sum(n_pred)::double / any_value(c.n_clips)                       as pred_per_clip,
        sum(n_key)::double / any_value(c.n_clips)                        as true_per_clip
    from per_clip_prf p join clips_per_system c using (profile_id, system_id, bench_id)
    group by all
)
select * from final
