-- lb_by_language: one row per profile × bench × system × language. Clip-level columns (reward,
-- iou_cos, iou, f1, recall, halluc, #pred, #true) pool the clips whose answer key speaks the
-- language (a bilingual clip counts under both); the speech columns (wer, how_cos, spk_acc) pool
-- only the speech events spoken in that language.
create or replace view lb_by_language as
with dims as (
    select distinct bench_id, clip_id, language from prep_clip_dims
),
scores as (
    select * from clip_scores
),
speech as (
    select profile_id, system_id, bench_id, coalesce(language, '-') as language,
           sum(wer_edits) as wer_edits, sum(wer_ref_units) as wer_ref_units,
           count(pred_idx) as n_speech_matched,
           sum(cos) filter (where pred_idx is not null) as how_cos_sum,
           count(*) filter (where pred_idx is not null and spk_ok) as n_spk_ok
    from event_matches
    where type = 'speech'
    group by all
),
clip_level as (
    select s.profile_id, s.bench_id, s.system_id, d.language,
           count(*)                                                 as n_clips,
           sum(s.reward_sum)  / nullif(sum(s.n_key), 0)             as reward,
           sum(s.iou_cos_sum) / nullif(sum(s.n_key), 0)             as iou_cos,
           sum(s.iou_sum)     / nullif(sum(s.n_key), 0)             as iou,
           avg(s.f1)                                                as f1,
           avg(s.recall)                                            as recall,
           sum(s.snd_cos_sum) / nullif(sum(s.n_snd_matched), 0)     as snd_cos,
           sum(s.n_halluc)::double / nullif(sum(s.n_pred), 0)       as halluc,
           avg(s.n_pred)                                            as pred_per_clip,
           avg(s.n_key)                                             as true_per_clip
    from scores s join dims d using (bench_id, clip_id)
    group by all
),
final as (
    select c.profile_id, c.bench_id, c.system_id, c.language, c.n_clips,
           c.reward, c.iou_cos, c.iou, c.f1, c.recall,
           sp.wer_edits::double / nullif(sp.wer_ref_units, 0)       as wer,
           sp.how_cos_sum / nullif(sp.n_speech_matched, 0)          as how_cos,
           c.snd_cos,
           sp.n_spk_ok::double / nullif(sp.n_speech_matched, 0)     as spk_acc,
           c.halluc, c.pred_per_clip, c.true_per_clip
    from clip_level c
    left join speech sp using (profile_id, system_id, bench_id, language)
)
select * from final
