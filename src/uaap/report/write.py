"""``write_report``: the static HTML report of one bench, entry point ``DIR/index.html``."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from uaap.report.data import collect_report_data
from uaap.report.page import render_page

__all__ = ["write_report"]


def _copy_audio(con, bench: str, out_dir: Path) -> dict[str, str]:
    """Copy the bench's audio into ``DIR/audio/`` (still referenced from the page, never inlined)."""
    target = out_dir / "audio"
    target.mkdir(parents=True, exist_ok=True)
    copied = {}
    for clip_id, audio_path in con.execute(
        "select clip_id, audio_path from clips where bench_id = ? and audio_path is not null and audio_path <> ''", [bench]
    ).fetchall():
        src = Path(audio_path)
        if not src.is_file():
            continue
        dst = target / f"{clip_id}{src.suffix}"
        if not dst.exists() or dst.stat().st_size != src.stat().st_size:
            shutil.copyfile(src, dst)
        copied[audio_path] = "audio/" + quote(dst.name)
    return copied


def write_report(
    bench: str, out_dir: str | Path, *, profile: str | None = None, resamples: int = 1000, seed: int = 0,
    copy_audio: bool = False, con=None, last_run: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write ``out_dir/index.html`` for ``bench`` (read-only on the warehouse).

    Args:
        bench: the bench name.
        out_dir: the report folder (created).
        profile: profile name or id (default: the one with most scores).
        resamples, seed: the clip-level bootstrap of the intervals.
        copy_audio: copy the audio next to the page (``audio/``) instead of referring to where it is.
        con: an open connection (default: open the warehouse read-only).
        last_run: what to say about the nightly run (default: the last one recorded in ``runs``).

    Returns:
        ``{"out": index.html path, "html_bytes": …, "clips": …, "systems": …, "seconds": …}``.
    """
    started = time.monotonic()
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    own = con is None
    if own:
        from uaap.warehouse import connect

        con = connect(read_only=True)
    try:
        copied = _copy_audio(con, bench, out) if copy_audio else {}
        data = collect_report_data(con, bench, out, profile=profile, resamples=resamples, seed=seed,
                                   copied_audio=copied)
        if last_run is not None:
            data["last_run"] = last_run
    finally:
        if own:
            con.close()
    html = render_page(data)
    index = out / "index.html"
    tmp = out / f".index.html.{os.getpid()}.tmp"
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, index)
    return {
        "out": str(index), "html_bytes": index.stat().st_size, "clips": len(data["clips"]["ids"]),
        "systems": len(data["clips"]["systems"]), "seconds": round(time.monotonic() - started, 2),
    }
