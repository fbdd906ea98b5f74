"""docker/compose.yaml and docker/Dockerfile, checked structurally (no Docker engine on this machine)."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def test_compose_runs_a_loopback_prefect_server_and_a_scheduling_worker_with_a_uaap_home_volume():
    compose = yaml.safe_load((REPO / "docker" / "compose.yaml").read_text())
    server, worker = compose["services"]["prefect-server"], compose["services"]["worker"]
    assert server["command"][:3] == ["prefect", "server", "start"] and "--analytics-off" in server["command"]
    assert server["ports"] and all(str(p).startswith("127.0.0.1:") for p in server["ports"])
    context = (REPO / "docker" / server["build"]["context"]).resolve()       # relative to the compose file
    assert context == REPO and (context / server["build"]["dockerfile"]).is_file()
    assert worker["image"] == server["image"]
    assert worker["command"][:2] == ["uaap", "schedule"] and "--cron" in worker["command"]
    plan = worker["command"][worker["command"].index("--plan") + 1]
    assert plan.startswith("/app/") and (REPO / plan.removeprefix("/app/")).is_file()
    assert worker["environment"]["PREFECT_API_URL"] == "http://prefect-server:4200/api"
    home = worker["environment"]["UAAP_HOME"]
    volume = next(v for v in worker["volumes"] if v.split(":")[1] == home)
    assert volume.split(":")[0] in compose["volumes"]
    assert worker["depends_on"]["prefect-server"]["condition"] == "service_healthy"


def test_the_image_installs_uaap_and_copies_what_the_plan_needs():
    text = (REPO / "docker" / "Dockerfile").read_text()
    assert text.startswith("# ") and "FROM python:3.11" in text
    for needed in ("COPY src ./src", "COPY configs ./configs", "COPY examples ./examples", "pip install", "-e ."):
        assert needed in text, needed
