-- lb_overall: one row per profile × bench × system. Sum, then divide: micro-averages over key
-- events (reward, iou_cos, iou), pooled counts (wer, how_cos, snd_cos, spk_acc, halluc),
-- means over clips only for the per-clip metrics (f1, recall, #pred, #true).
create or replace view lb_overall as
with scores as (
    select * from clip_scores
),
final as (
    select
        profile_id, bench_id, system_id,
        count(*)                                                   as n_clips,
        sum(reward_sum)  / nullif(sum(n_key), 0)                   as reward,
        sum(iou_cos_sum) / nullif(sum(n_key), 0)                   as iou_cos,
        sum(iou_sum)     / nullif(sum(n_key), 0)                   as iou,
        avg(f1)                                                    as f1,
        avg(recall)                                                as recall,
        avg(precision)                                             as precision,
        sum(wer_edits)::double / nullif(sum(wer_ref_units), 0)     as wer,
        sum(how_cos_sum) / nullif(sum(n_speech_matched), 0)        as how_cos,
        sum(snd_cos_sum) / nullif(sum(n_snd_matched), 0)           as snd_cos,
        sum(n_spk_ok)::double / nullif(sum(n_speech_matched), 0)   as spk_acc,
        sum(n_halluc)::double / nullif(sum(n_pred), 0)             as halluc,
        avg(n_pred)                                                as pred_per_clip,
        avg(n_key)                                                 as true_per_clip,
        sum(n_invalid)                                             as n_invalid
    from scores
    group by all
)
select * from final
