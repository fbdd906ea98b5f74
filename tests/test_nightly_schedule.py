"""``uaap schedule`` against a real local ``prefect server start``: the deployment, its cron schedule,
its concurrency limit of one, and the runs the server schedules from it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
PREFECT = Path(sys.executable).parent / "prefect"
UAAP = Path(sys.executable).parent / "uaap"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen, wait_s: float = 20.0) -> None:
    """Stop a process group this test started: SIGTERM, then SIGKILL."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=wait_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _wait_for(fn, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            found = fn()
        except httpx.HTTPError:
            found = None
        if found:
            return found
        time.sleep(1)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


@pytest.fixture
def prefect_server(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-server"), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2")
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen([str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port), "--analytics-off"],
                            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    try:
        _wait_for(lambda: httpx.get(f"{url}/health", timeout=2).json() is True, 120, "the Prefect server")
        yield url
    finally:
        _stop(proc)
        log.close()


def test_schedule_registers_the_nightly_deployment_on_its_cron(prefect_server, tmp_path):
    plan = REPO / "configs" / "nightly.yaml"
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "UAAP_HOME": str(tmp_path / "home")}
    env.pop("PREFECT_HOME", None)
    log = open(tmp_path / "schedule.log", "w")
    serve = subprocess.Popen([str(UAAP), "schedule", "--cron", "0 2 * * *", "--plan", str(plan)],
                             stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        def deployment():
            found = httpx.post(f"{prefect_server}/deployments/filter", json={}, timeout=5).json()
            return next((d for d in found if d["name"] == "nightly"), None)

        dep = _wait_for(deployment, 90, "deployment nightly/nightly")
        flow = httpx.get(f"{prefect_server}/flows/{dep['flow_id']}", timeout=5).json()
        assert flow["name"] == "nightly"
        [schedule] = dep["schedules"]
        assert schedule["schedule"]["cron"] == "0 2 * * *" and schedule["schedule"]["timezone"] == "UTC"
        assert schedule["active"] and not dep["paused"]
        assert dep["global_concurrency_limit"]["limit"] == 1
        assert dep["parameters"] == {"plan_path": str(plan)}
        assert dep["entrypoint"] == "uaap.flows.nightly.nightly"

        def scheduled_runs():
            runs = httpx.post(f"{prefect_server}/flow_runs/filter", timeout=5, json={
                "deployments": {"id": {"any_": [dep["id"]]}},
                "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}}}).json()
            return runs or None

        runs = _wait_for(scheduled_runs, 60, "the server to schedule nightly runs")
        starts = sorted(r["expected_start_time"] for r in runs)
        assert all("T02:00:00" in s for s in starts), starts
    finally:
        _stop(serve)
        log.close()
