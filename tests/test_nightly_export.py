"""Parquet export: hive partitions DuckDB reads back, published atomically."""

from __future__ import annotations

import os
from datetime import date

import duckdb
import pytest

from uaap.warehouse import open_warehouse
from uaap.warehouse import export as export_module
from uaap.warehouse.export import export_parquet

from _history_data import make_bench, nightly_snapshot, score_system


@pytest.fixture
def warehouse(uaap_home):
    with open_warehouse() as con:
        items = make_bench(con, "exp", n_clips=12)
        score_system(con, "exp", items, "alpha", 0.3)
        score_system(con, "exp", items, "beta", 0.8)
        nightly_snapshot(con, "run-1", date(2026, 5, 1), "exp", ["alpha", "beta"], resamples=50)
    return uaap_home


def _read(glob: str) -> list[tuple]:
    return duckdb.connect().execute(
        f"select * from read_parquet('{glob}', hive_partitioning = true)").fetchall()


def test_export_writes_hive_partitions_that_duckdb_reads_back(warehouse):
    with open_warehouse(read_only=True) as con:
        result = export_parquet(con)
        live = con.execute("select count(*) from clip_scores").fetchall()[0][0]
    out = warehouse / "export"
    assert result["out"] == str(out) and out.is_symlink()
    assert (out / "clip_scores" / "bench_id=exp" / "system_id=alpha").is_dir()
    assert (out / "lb_snapshots" / "night=2026-05-01").is_dir()
    rows = duckdb.connect().execute(
        f"select system_id, count(*) from read_parquet('{out}/clip_scores/**/*.parquet', hive_partitioning = true) "
        "group by all order by 1").fetchall()
    assert rows == [("alpha", 12), ("beta", 12)] and live == 24
    nights = duckdb.connect().execute(
        f"select distinct night from read_parquet('{out}/lb_snapshots/**/*.parquet', hive_partitioning = true)").fetchall()
    assert nights == [(date(2026, 5, 1),)]
    assert len(_read(f"{out}/lb_overall/**/*.parquet")) == 2           # views are exported as tables
    assert _read(f"{out}/errors/**/*.parquet") == []                     # an empty table is still readable
    assert "file_hashes" not in result["tables"] and "schema_migrations" not in result["tables"]


def test_a_reader_never_sees_half_an_export(warehouse, monkeypatch):
    with open_warehouse(read_only=True) as con:
        first = export_parquet(con)
        old_files = sorted(p for p in (warehouse / "export").resolve().rglob("*.parquet"))
        real = export_module._write_relation
        calls = []

        def crash_half_way(con_, name, *args):
            calls.append(name)
            if len(calls) == 5:
                raise OSError("disk full")
            return real(con_, name, *args)

        monkeypatch.setattr(export_module, "_write_relation", crash_half_way)
        with pytest.raises(OSError, match="disk full"):
            export_parquet(con)
        # the published export is untouched, and the half-written one is gone
        assert (warehouse / "export").resolve() == type(warehouse)(first["version"])
        assert all(p.exists() for p in old_files)
        versions = warehouse / ".export-versions"
        assert not [p for p in versions.iterdir() if p.name.endswith(".partial")]
        monkeypatch.setattr(export_module, "_write_relation", real)
        second = export_parquet(con)
        third = export_parquet(con)
    assert (warehouse / "export").resolve() == type(warehouse)(third["version"])
    kept = sorted(p.name for p in versions.iterdir())
    assert len(kept) == 2 and os.path.basename(second["version"]) in kept   # the previous one stays for readers


def test_an_export_folder_made_by_hand_is_replaced(warehouse, tmp_path):
    target = tmp_path / "shared-export"
    (target / "stale").mkdir(parents=True)
    with open_warehouse(read_only=True) as con:
        export_parquet(con, target)
    assert target.is_symlink() and not (target / "stale").exists()
    assert len(_read(f"{target}/clips/**/*.parquet")) == 12
