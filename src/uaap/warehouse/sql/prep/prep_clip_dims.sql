-- prep_clip_dims: one row per clip × language of its answer key (a clip without speech gets language '-'),
-- with the clip's SNR band and overlap flag: the dimensions the breakdowns group by.
create or replace view prep_clip_dims as
with clips_in as (
    select bench_id, clip_id, languages, snr_db, overlap from clips
),
languages as (
    select bench_id, clip_id,
           unnest(case when len(coalesce(languages, [])) = 0 then ['-'] else languages end) as language
    from clips_in
),
final as (
    select c.bench_id, c.clip_id, l.language,
           case when c.snr_db is null then 'n/a'
                when c.snr_db >= 7.5 then '>= +7.5 dB'
                when c.snr_db >= 2.5 then '+2.5..+7.5 dB'
                when c.snr_db >= -2.5 then '-2.5..+2.5 dB'
                when c.snr_db >= -7.5 then '-7.5..-2.5 dB'
                else '< -7.5 dB' end as snr_band,
           coalesce(c.overlap, false) as overlap
    from clips_in c join languages l using (bench_id, clip_id)
)
select * from final
