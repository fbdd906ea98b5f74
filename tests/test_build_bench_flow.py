"""The build_bench flow: cached per clip, growable, imported into the warehouse with its keys."""

from __future__ import annotations

import hashlib

from _bench_pool import shared_tiny_pool

from uaap.flows.build_bench import build_bench
from uaap.warehouse import fetch_dicts, open_warehouse


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_grow_and_rebuild_recompute_only_new_clips(uaap_home, tmp_path_factory):
    build, _ = shared_tiny_pool(tmp_path_factory)
    pool_dir = str(build.manifest_path.parent)
    first = build_bench("soundscape", 2, 7, "tiny", pool_dir, show_progress=False)
    assert first["clips"] == 2 and first["computed"] == 2, first
    folder = uaap_home / "benches" / "tiny"
    before = {p.name: _sha(p) for p in folder.iterdir()}

    grown = build_bench("soundscape", 3, 7, "tiny", pool_dir, show_progress=False)
    assert grown["computed"] == 1 and grown["cached"] == 2 and grown["clips"] == 3
    assert all(_sha(folder / name) == sha for name, sha in before.items())

    (folder / "clip-00001.wav").unlink()  # the cache says built, the folder disagrees
    again = build_bench("soundscape", 3, 7, "tiny", pool_dir, show_progress=False)
    assert again["clips"] == 3 and _sha(folder / "clip-00001.wav") == before["clip-00001.wav"]

    with open_warehouse() as con:
        clips = fetch_dicts(con, "select clip_id, recipe, snr_db is not null as has_snr, len(languages) > 0 as has_lang "
                                 "from clips where bench_id = 'tiny' order by 1")
        events = fetch_dicts(con, "select count(*) as n from answer_events where bench_id = 'tiny'")
    assert [c["clip_id"] for c in clips] == ["clip-00000", "clip-00001", "clip-00002"]
    assert all(c["recipe"] == "soundscape" and c["has_lang"] for c in clips)
    assert events[0]["n"] >= 3
