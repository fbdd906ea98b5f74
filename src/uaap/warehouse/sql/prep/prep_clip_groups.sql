-- prep_clip_groups: one row per profile × bench × system × clip × leaderboard row (grouping, group_value)
-- the clip counts in, holding the clip's sums and counts for that row. Summing these over clips, then
-- dividing, gives every column of lb_overall / lb_by_type / lb_by_language / lb_by_snr / lb_by_overlap,
-- so a clip-level bootstrap can recompute any leaderboard number from resampled clips.
-- in_group is false only on language rows of a clip whose key does not list the language but has speech
-- events in it: like lb_by_language, those events count in the speech columns (wer, how_cos, spk_acc) only.
-- Type rows follow lb_by_type: per-clip P/R/F1 recomputed per type, clips with the type in key or prediction.
create or replace view prep_clip_groups as
with scores as (
    select * from clip_scores
),
dims as (
    select * from prep_clip_dims
),
overall as (
    select profile_id, bench_id, system_id, clip_id, 'overall' as grouping, '' as group_value, true as in_group,
           n_key, n_pred, n_halluc, reward_sum, iou_cos_sum, iou_sum, f1, recall,
           wer_edits, wer_ref_units, n_speech_matched, how_cos_sum, n_snd_matched, snd_cos_sum, n_spk_ok
    from scores
),
snr as (
    select s.profile_id, s.bench_id, s.system_id, s.clip_id, 'snr' as grouping, d.snr_band as group_value,
           true as in_group, s.n_key, s.n_pred, s.n_halluc, s.reward_sum, s.iou_cos_sum, s.iou_sum, s.f1, s.recall,
           s.wer_edits, s.wer_ref_units, s.n_speech_matched, s.how_cos_sum, s.n_snd_matched, s.snd_cos_sum, s.n_spk_ok
    from scores s join (select distinct bench_id, clip_id, snr_band from dims) d using (bench_id, clip_id)
),
overlap as (
    select s.profile_id, s.bench_id, s.system_id, s.clip_id, 'overlap' as grouping,
           cast(d.overlap as varchar) as group_value,
           true as in_group, s.n_key, s.n_pred, s.n_halluc, s.reward_sum, s.iou_cos_sum, s.iou_sum, s.f1, s.recall,
           s.wer_edits, s.wer_ref_units, s.n_speech_matched, s.how_cos_sum, s.n_snd_matched, s.snd_cos_sum, s.n_spk_ok
    from scores s join (select distinct bench_id, clip_id, overlap from dims) d using (bench_id, clip_id)
),
language_clip as (
    select s.profile_id, s.bench_id, s.system_id, s.clip_id, d.language,
           s.n_key, s.n_pred, s.n_halluc, s.reward_sum, s.iou_cos_sum, s.iou_sum, s.f1, s.recall,
           s.n_snd_matched, s.snd_cos_sum
    from scores s join (select distinct bench_id, clip_id, language from dims) d using (bench_id, clip_id)
),
language_speech as (
    select profile_id, bench_id, system_id, clip_id, coalesce(language, '-') as language,
           sum(wer_edits) as wer_edits, sum(wer_ref_units) as wer_ref_units,
           count(pred_idx) as n_speech_matched,
           coalesce(sum(cos) filter (where pred_idx is not null), 0) as how_cos_sum,
           count(*) filter (where pred_idx is not null and spk_ok) as n_spk_ok
    from event_matches
    where type = 'speech'
    group by all
),
language as (
    select profile_id, bench_id, system_id, clip_id, 'language' as grouping, language as group_value,
           c.clip_id is not null as in_group,
           coalesce(c.n_key, 0) as n_key, coalesce(c.n_pred, 0) as n_pred, coalesce(c.n_halluc, 0) as n_halluc,
           coalesce(c.reward_sum, 0) as reward_sum, coalesce(c.iou_cos_sum, 0) as iou_cos_sum,
           coalesce(c.iou_sum, 0) as iou_sum, coalesce(c.f1, 0) as f1, coalesce(c.recall, 0) as recall,
           coalesce(sp.wer_edits, 0) as wer_edits, coalesce(sp.wer_ref_units, 0) as wer_ref_units,
           coalesce(sp.n_speech_matched, 0) as n_speech_matched, coalesce(sp.how_cos_sum, 0) as how_cos_sum,
           coalesce(c.n_snd_matched, 0) as n_snd_matched, coalesce(c.snd_cos_sum, 0) as snd_cos_sum,
           coalesce(sp.n_spk_ok, 0) as n_spk_ok
    from language_clip c
    full outer join language_speech sp using (profile_id, bench_id, system_id, clip_id, language)
),
type_key as (
    select profile_id, bench_id, system_id, clip_id, type,
           count(*) as n_key, sum(score) as score_sum, sum(reward) as reward_sum,
           sum(iou_cos) as iou_cos_sum, sum(iou) as iou_sum,
           sum(wer_edits) as wer_edits, sum(wer_ref_units) as wer_ref_units,
           count(pred_idx) filter (where type = 'speech') as n_speech_matched,
           sum(cos) filter (where type = 'speech' and pred_idx is not null) as how_cos_sum,
           count(pred_idx) filter (where type in ('sound_event', 'music')) as n_snd_matched,
           sum(cos) filter (where type in ('sound_event', 'music') and pred_idx is not null) as snd_cos_sum,
           count(*) filter (where type = 'speech' and pred_idx is not null and spk_ok) as n_spk_ok
    from event_matches
    group by all
),
type_pred as (
    select profile_id, bench_id, system_id, clip_id, coalesce(type, '(invalid)') as type,
           count(*) as n_pred, count(*) filter (where halluc) as n_halluc
    from pred_outcomes
    group by all
),
type_clip as (
    select profile_id, bench_id, system_id, clip_id, type,
           coalesce(k.n_key, 0) as n_key, coalesce(p.n_pred, 0) as n_pred, coalesce(p.n_halluc, 0) as n_halluc,
           coalesce(k.score_sum, 0) as score_sum, coalesce(k.reward_sum, 0) as reward_sum,
           coalesce(k.iou_cos_sum, 0) as iou_cos_sum, coalesce(k.iou_sum, 0) as iou_sum,
           coalesce(k.wer_edits, 0) as wer_edits, coalesce(k.wer_ref_units, 0) as wer_ref_units,
           coalesce(k.n_speech_matched, 0) as n_speech_matched, coalesce(k.how_cos_sum, 0) as how_cos_sum,
           coalesce(k.n_snd_matched, 0) as n_snd_matched, coalesce(k.snd_cos_sum, 0) as snd_cos_sum,
           coalesce(k.n_spk_ok, 0) as n_spk_ok
    from type_key k full outer join type_pred p using (profile_id, bench_id, system_id, clip_id, type)
),
type_prf as (
    select *,
           case when n_key > 0 then score_sum / n_key else 0 end as recall,
           case when n_pred > 0 then score_sum / n_pred else 0 end as precision
    from type_clip
),
by_type as (
    select profile_id, bench_id, system_id, clip_id, 'type' as grouping, type as group_value, true as in_group,
           n_key, n_pred, n_halluc, reward_sum, iou_cos_sum, iou_sum,
           case when recall + precision > 0 then 2 * recall * precision / (recall + precision) else 0 end as f1,
           recall, wer_edits, wer_ref_units, n_speech_matched, how_cos_sum, n_snd_matched, snd_cos_sum, n_spk_ok
    from type_prf t
    where exists (select 1 from scores s
                  where s.profile_id = t.profile_id and s.bench_id = t.bench_id and s.system_id = t.system_id)
),
final as (
    select * from overall
    union all by name select * from by_type
    union all by name select * from language
    union all by name select * from snr
    union all by name select * from overlap
)
select profile_id, bench_id, system_id, clip_id, grouping, group_value, in_group,
       n_key, n_pred, n_halluc, reward_sum, iou_cos_sum, iou_sum, f1, recall,
       wer_edits, wer_ref_units, n_speech_matched, how_cos_sum, n_snd_matched, snd_cos_sum, n_spk_ok
from final
