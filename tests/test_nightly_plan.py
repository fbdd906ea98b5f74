"""The nightly plan: the shipped plan runs today; a wrong plan is one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from uaap.plan import PlanError, load_plan, parse_plan

REPO = Path(__file__).resolve().parents[1]

BENCH = {"name": "b", "import": "bench"}
ORACLE = {"name": "oracle", "builtin": "oracle"}


def plan(**overrides):
    data = {"benches": [BENCH], "systems": [ORACLE]}
    data.update(overrides)
    return parse_plan(data, base_dir=Path("/plans"), source="plan.yaml")


def test_the_shipped_plan_runs_the_example_bench_with_four_systems():
    p = load_plan(REPO / "configs" / "nightly.yaml")
    assert [b.name for b in p.benches] == ["example"] and p.benches[0].directory == str(REPO / "examples" / "bench")
    assert [s.name for s in p.systems] == ["careful", "sloppy", "oracle", "empty"]
    assert p.systems[0].directory == str(REPO / "examples" / "predictions" / "careful")
    assert p.profile == "soundscape-v1" and p.resamples == 1000 and p.export and p.report


def test_every_kind_of_bench_and_system_is_understood():
    p = plan(benches=[BENCH, {"name": "sc", "recipe": "soundscape", "n": 20, "seed": 7}],
             systems=[ORACLE, {"name": "mine", "predictions": "/abs/preds", "benches": ["b"]},
                      {"name": "cpu-default", "pipeline": True, "benches": ["sc"]}],
             profile="profiles/x.yaml")
    assert [(b.kind, b.recipe, b.n, b.seed) for b in p.benches] == [("import", None, 0, 0), ("recipe", "soundscape", 20, 7)]
    assert [s.kind for s in p.systems] == ["builtin", "predictions", "pipeline"]
    assert [s.name for s in p.systems_for("sc")] == ["oracle", "cpu-default"]
    assert p.benches[0].directory == "/plans/bench" and p.profile == "/plans/profiles/x.yaml"


@pytest.mark.parametrize("data,message", [
    ({"benches": [{"name": "b", "import": "x", "recipe": "soundscape", "n": 1}], "systems": [ORACLE]},
     "benches[0] ('b'): expected exactly one of import, recipe, found import, recipe"),
    ({"benches": [{"name": "b"}], "systems": [ORACLE]}, "expected exactly one of import, recipe, found none of them"),
    ({"benches": [{"name": "b", "recipe": "soundscape", "n": 0}], "systems": [ORACLE]}, "field 'n'"),
    ({"benches": [BENCH], "systems": [{"name": "oracle", "builtin": "orcale"}]}, "field 'builtin'"),
    ({"benches": [BENCH], "systems": [{"name": "o", "builtin": "oracle"}]}, "expected name 'oracle', found 'o'"),
    ({"benches": [BENCH], "systems": [{"name": "x", "predictions": "p", "color": "red"}]}, "unknown field 'color'"),
    ({"benches": [BENCH], "systems": [ORACLE, ORACLE]}, "names must be unique, found oracle"),
    ({"benches": [BENCH], "systems": [{"name": "x", "pipeline": True, "benches": ["nope"]}]}, "names nope"),
    ({"benches": [BENCH], "systems": []}, "field 'systems'"),
    ({"benches": [BENCH], "system": [ORACLE]}, "unknown field 'system' (found [{'name': 'oracle', 'builtin': 'oracle'}]); did you mean 'systems'?"),
])
def test_a_wrong_plan_names_the_entry_the_field_and_what_was_found(data, message):
    with pytest.raises(PlanError, match="plan.yaml") as err:
        parse_plan(data, base_dir=Path("/plans"), source="plan.yaml")
    assert message in str(err.value)


def test_missing_or_unreadable_plan_files_say_what_to_do(tmp_path):
    with pytest.raises(PlanError, match="does not exist.*--plan"):
        load_plan(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("benches: [\n")
    with pytest.raises(PlanError, match="not valid YAML"):
        load_plan(bad)
