"""The UAAP JSON edge: hygiene errors name the event, field, expectation and finding."""

from __future__ import annotations

import json
import math

import pytest

from uaap.records import AnswerKey, Event, Prediction
from uaap.uaap_json import AnswerKeyError, parse_answer_key, parse_events, prediction_from_json, read_answer_key, read_prediction


def test_valid_events_survive_next_to_invalid_ones():
    events, invalid = parse_events([
        {"type": "speech", "start_time": "0.5", "end_time": 2, "transcription": "hi", "speaker_id": 3},
        {"type": "speech", "start_time": 4, "end_time": 3},
        {"type": "music", "start_time": float("nan"), "end_time": 3},
        {"type": "sound_event", "start_time": -1, "end_time": 3},
        {"type": "laugh", "start_time": 1, "end_time": 2},
        {"start_time": 1, "end_time": 2},
        {"type": "music", "end_time": 2},
        {"type": "music", "start_time": 0, "end_time": 2, "description": ["not", "text"]},
        "not an object",
    ])
    assert [e.type for e in events] == ["speech"]
    assert events[0].start_s == 0.5 and events[0].speaker_id == "3"
    found = {(i.index, i.field) for i in invalid}
    assert found == {(1, "end_time"), (2, "start_time"), (3, "start_time"), (4, "type"), (5, "type"),
                     (6, "start_time"), (7, "description"), (8, "event")}
    by_index = {i.index: i for i in invalid}
    assert "after start_time (4)" in by_index[1].expected and by_index[1].found == "3"
    assert by_index[4].found == "'laugh'" and "speech, vocal_burst, sound_event, music" in by_index[4].expected
    assert "missing" in by_index[6].found
    assert by_index[3].message.startswith("event 3: field 'start_time' expected")


def test_bool_and_infinite_times_are_invalid():
    _, invalid = parse_events([{"type": "music", "start_time": True, "end_time": 2},
                               {"type": "music", "start_time": 0, "end_time": math.inf}])
    assert [i.field for i in invalid] == ["start_time", "end_time"]


def test_prediction_accepts_bare_array_or_wrapper(tmp_path):
    event = {"type": "music", "start_time": 0, "end_time": 1, "description": "piano"}
    bare = prediction_from_json([event], system="s", clip_id="c")
    wrapped = prediction_from_json({"clip_id": "c", "events": [event]}, system="s", clip_id="c")
    assert bare.events == wrapped.events and bare.sha256 == wrapped.sha256
    bad = prediction_from_json({"events": "nope"}, system="s", clip_id="c")
    assert bad.file_error and "'events' expected a list" in bad.file_error


def test_prediction_files_missing_or_broken_are_kept_as_such(tmp_path):
    missing = read_prediction(tmp_path / "none.json", system="s", clip_id="none")
    assert missing.missing and missing.n_predictions == 0
    broken = tmp_path / "b.json"
    broken.write_text('[{"type": ')
    pred = read_prediction(broken, system="s", clip_id="b")
    assert pred.file_error and "not readable as JSON" in pred.file_error


def test_answer_key_errors_name_the_file_and_event(tmp_path):
    path = tmp_path / "clip-1.json"
    path.write_text(json.dumps({"clip_id": "clip-1", "duration": 5, "events": [
        {"type": "music", "start_time": 0, "end_time": 5, "description": "x"},
        {"type": "speech", "start_time": 3, "end_time": 1}]}))
    with pytest.raises(AnswerKeyError) as err:
        read_answer_key(path)
    assert str(path) in str(err.value) and "event 1" in str(err.value) and "end_time" in str(err.value)
    path.write_text("{")
    with pytest.raises(AnswerKeyError, match="not readable as JSON"):
        read_answer_key(path)


def test_answer_key_round_trips_through_json():
    key = parse_answer_key({
        "clip_id": "c1", "duration": 12.5, "num_speakers": 1, "languages": ["en"], "snr_db": 3.0,
        "events": [{"type": "speech", "start_time": 0, "end_time": 2, "transcription": "hello", "speaker_id": "a",
                    "language": "en", "voice": "en+m3"}],
    }, source="test")
    again = parse_answer_key(json.loads(json.dumps(key.to_json())), source="again")
    assert again == key and again.sha256 == key.sha256
    assert key.events[0].extras == {"voice": "en+m3"} and key.meta == {"snr_db": 3.0}


def test_prediction_hash_ignores_source_path():
    e = (Event("music", 0, 1, description="a"),)
    assert Prediction("s", "c", e, source="/a").sha256 == Prediction("t", "c", e, source="/b").sha256
    assert Prediction("s", "c", e).sha256 != Prediction("s", "c", ()).sha256
