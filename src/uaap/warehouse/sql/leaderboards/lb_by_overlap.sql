-- lb_by_overlap: one row per profile × bench × system × overlap of the clip; every column pooled over
-- the clips of that group exactly as lb_overall pools the whole bench.
create or replace view lb_by_overlap as
with dims as (
    select distinct bench_id, clip_id, overlap from prep_clip_dims
),
scores as (
    select * from clip_scores
),
final as (
    select s.profile_id, s.bench_id, s.system_id, d.overlap,
           count(*)                                                   as n_clips,
           sum(s.reward_sum)  / nullif(sum(s.n_key), 0)               as reward,
           sum(s.iou_cos_sum) / nullif(sum(s.n_key), 0)               as iou_cos,
           sum(s.iou_sum)     / nullif(sum(s.n_key), 0)               as iou,
           avg(s.f1)                                                  as f1,
           avg(s.recall)                                              as recall,
           sum(s.wer_edits)::double / nullif(sum(s.wer_ref_units), 0) as wer,
           sum(s.how_cos_sum) / nullif(sum(s.n_speech_matched), 0)    as how_cos,
           sum(s.snd_cos_sum) / nullif(sum(s.n_snd_matched), 0)       as snd_cos,
           sum(s.n_spk_ok)::double / nullif(sum(s.n_speech_matched), 0) as spk_acc,
           sum(s.n_halluc)::double / nullif(sum(s.n_pred), 0)         as halluc,
           avg(s.n_pred)                                              as pred_per_clip,
           avg(s.n_key)                                               as true_per_clip
    from scores s join dims d using (bench_id, clip_id)
    group by all
)
select * from final
