"""The annotate flow: cached expert tasks per clip, fusion, predictions that score like imported ones."""

from __future__ import annotations

import threading

import pytest
import yaml

from uaap.flows import add_builtin_system, import_bench, score_system
from uaap.flows.annotate import annotate_bench
from uaap.models.base import Expert, ExpertError
from uaap.models.registry import register, unregister
from uaap.warehouse import fetch_dicts, open_warehouse


@pytest.fixture
def fake_system(tmp_path):
    path = tmp_path / "fake-system.yaml"
    path.write_text(yaml.safe_dump({"name": "fake-sys", "experts": [{"name": "fake", "params": {"seed": 3, "n_events": 3}}]}))
    return str(path)


def test_annotate_then_score_like_imported_predictions(uaap_home, example_bench, fake_system):
    import_bench(str(example_bench), "example")
    first = annotate_bench(fake_system, "example", show_progress=False)
    assert first["clips"] == 3 and first["computed"] == 3 and first["failed"] == 0
    with open_warehouse() as con:
        outputs = fetch_dicts(con, "select expert, status from expert_outputs")
        sets = fetch_dicts(con, "select clip_id, status, n_events from prediction_sets where system_id = 'fake-sys' order by 1")
    assert outputs == [{"expert": "fake", "status": "ok"}] * 3
    assert [s["status"] for s in sets] == ["ok"] * 3 and sum(s["n_events"] for s in sets) == first["events"] > 0
    add_builtin_system("oracle", "example")
    scored = score_system("example", ["all"], show_progress=False)
    assert scored["systems"] == ["fake-sys", "oracle"] and scored["failed"] == 0

    again = annotate_bench(fake_system, "example", show_progress=False)
    assert again["computed"] == 0 and again["cached"] == 3 and again["events"] == first["events"]


def test_corrupt_clip_gets_an_error_row_and_an_empty_annotation(uaap_home, example_bench, fake_system):
    import_bench(str(example_bench), "example")
    (example_bench / "ex-0002.wav").write_bytes(b"RIFF\x00\x00garbage")
    summary = annotate_bench(fake_system, "example", show_progress=False)
    assert summary["failed"] == 1 and summary["computed"] == 2
    with open_warehouse() as con:
        errors = fetch_dicts(con, "select clip_id, item, message from errors where step = 'annotate'")
        sets = fetch_dicts(con, "select clip_id, status from prediction_sets where system_id = 'fake-sys' order by 1")
    assert len(errors) == 1 and errors[0]["clip_id"] == "ex-0002" and "ex-0002.wav" in errors[0]["message"]
    assert sets == [{"clip_id": "ex-0001", "status": "ok"}, {"clip_id": "ex-0002", "status": "file_error"},
                    {"clip_id": "ex-0003", "status": "ok"}]


class _Flaky(Expert):
    """Fails the first time it sees each clip, then works: a flaky expert."""

    name = "test/flaky"
    CODE_REVISION = "1"
    DEFAULT_PARAMS = {}
    seen: set = set()
    lock = threading.Lock()

    def _weights_id(self):
        return "0", "none"

    def _load(self):
        pass

    def process(self, audio, inputs):
        with self.lock:
            first = audio.sha256 not in self.seen
            self.seen.add(audio.sha256)
        if first:
            raise ExpertError("transient hiccup")
        return {"schema": "events/v1", "events": []}


def test_a_flaky_expert_is_retried(uaap_home, example_bench, tmp_path):
    register(_Flaky)
    try:
        path = tmp_path / "flaky.yaml"
        path.write_text(yaml.safe_dump({"name": "flaky-sys", "experts": [{"name": "test/flaky"}]}))
        import_bench(str(example_bench), "example")
        summary = annotate_bench(str(path), "example", show_progress=False)
    finally:
        unregister("test/flaky")
    assert summary["failed"] == 0 and summary["computed"] == 3 and len(_Flaky.seen) == 3


class _Broken(Expert):
    name = "up/broken"
    CODE_REVISION = "1"
    DEFAULT_PARAMS = {}

    def _weights_id(self):
        return "0", "none"

    def _load(self):
        pass

    def process(self, audio, inputs):
        raise ExpertError("always broken")


class _Down(Expert):
    name = "down/echo"
    CODE_REVISION = "1"
    DEFAULT_PARAMS = {}
    accepts = ("up",)
    saw: list = []

    def _weights_id(self):
        return "0", "none"

    def _load(self):
        pass

    def process(self, audio, inputs):
        self.saw.append(sorted(inputs))
        return {"schema": "events/v1", "events": []}


def test_an_expert_still_runs_when_an_optional_input_failed(uaap_home, example_bench, tmp_path):
    register(_Broken)
    register(_Down)
    try:
        path = tmp_path / "chain.yaml"
        path.write_text(yaml.safe_dump({"name": "chain", "experts": [{"name": "up/broken"}, {"name": "down/echo"}]}))
        import_bench(str(example_bench), "example")
        summary = annotate_bench(str(path), "example", show_progress=False)
    finally:
        unregister("up/broken")
        unregister("down/echo")
    assert summary["failed"] == 3 and summary["computed"] == 3  # broken fails on every clip, echo runs anyway
    assert _Down.saw == [[], [], []]
    with open_warehouse() as con:
        errors = fetch_dicts(con, "select item, message from errors where step = 'annotate'")
        sets = fetch_dicts(con, "select distinct status from prediction_sets where system_id = 'chain'")
    assert {e["item"] for e in errors} == {"up/broken"} and all("always broken" in e["message"] for e in errors)
    assert sets == [{"status": "ok"}]
