"""Argument checks that run before a flow starts (no Prefect import): one clear error line."""

from __future__ import annotations

from pathlib import Path

from uaap.home import warehouse_path

__all__ = ["BUILTIN_SYSTEMS", "check_bench_dir", "check_predictions_args", "check_score_args"]

#: The built-in systems: the answer key itself, and nothing.
BUILTIN_SYSTEMS = ("oracle", "empty")


def check_bench_dir(directory: str) -> None:
    folder = Path(directory)
    if not folder.is_dir():
        raise FileNotFoundError(f"bench folder {folder} does not exist; expected a folder of <clip_id>.wav + <clip_id>.json")
    if not any(folder.glob("*.json")):
        raise FileNotFoundError(f"bench folder {folder} holds no <clip_id>.json answer keys")


def _require_bench(bench: str) -> None:
    from uaap.warehouse import open_warehouse
    from uaap.warehouse.read import bench_exists

    if not warehouse_path().exists():
        raise LookupError(f"no warehouse at {warehouse_path()}: import a bench first with uaap bench import DIR --name {bench}")
    with open_warehouse() as con:
        if not bench_exists(con, bench):
            known = [r[0] for r in con.execute("select bench_id from benches order by 1").fetchall()]
            raise LookupError(f"no bench named '{bench}' in the warehouse (known: {', '.join(known) or 'none'}); "
                              f"import it with uaap bench import DIR --name {bench}")


def check_predictions_args(directory: str, system: str, bench: str) -> None:
    if not Path(directory).is_dir():
        raise FileNotFoundError(f"predictions folder {directory} does not exist; expected a folder of <clip_id>.json")
    if system in BUILTIN_SYSTEMS:
        raise ValueError(f"'{system}' is a built-in system name; pick another --system name")
    _require_bench(bench)


def check_score_args(bench: str, systems: list[str], profile: str) -> None:
    from uaap.scoring import load_profile

    load_profile(profile)
    _require_bench(bench)
    from uaap.warehouse import open_warehouse
    from uaap.warehouse.read import systems_with_predictions

    with open_warehouse() as con:
        known = systems_with_predictions(con, bench)
    if not known:
        raise LookupError(f"bench '{bench}' has no predictions yet: import some with "
                          f"uaap predictions import DIR --system NAME --bench {bench}")
    unknown = [s for s in systems if s != "all" and s not in known]
    if unknown:
        raise LookupError(f"no predictions of system(s) {', '.join(unknown)} on bench '{bench}'; known: {', '.join(known)}")
