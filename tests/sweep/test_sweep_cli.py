"""`switchboard sweep` from the executable (SWITCHBOARD_CLI): it finds the package next to
itself in the build tree, prints the table and passes the Python sweep's exit status through."""

import csv
import io
import json
import os
import subprocess

import pytest

CLI = os.environ.get("SWITCHBOARD_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="SWITCHBOARD_CLI (build/bin/switchboard) not set")

SCENARIO = """
[simulation]
seed = 3
duration = "1h"
warmup = "10m"
replications = 2

[[queue]]
name = "calls"
service_level = { threshold = "20s", target = 0.8 }

[[traffic]]
queue = "calls"
arrivals = { rate = 300, per = "1h" }
handle = { dist = "exponential", mean = "3m" }
patience = { dist = "exponential", mean = "4m" }

[[agents]]
name = "agent"
count = 16
"""


def run(*args):
    env = {k: v for k, v in os.environ.items() if k != "SWITCHBOARD_PYTHONPATH"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run([CLI, "sweep", *args], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.fixture()
def scenario(tmp_path):
    path = tmp_path / "calls.toml"
    path.write_text(SCENARIO)
    return path


def test_csv_table(scenario):
    done = run(str(scenario), "--set", "agents.0.count=15:17", "--set",
               "queue.0.strategy=longest_idle,random", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 3 * 2 * 2
    assert list(rows[0])[:4] == ["agents.0.count", "queue.0.strategy", "queue", "offered"]
    assert [r["agents.0.count"] for r in rows[::4]] == ["15", "16", "17"]
    for row in rows:
        assert 0 <= float(row["service_level"]) <= 1
        assert float(row["service_level_ci95"]) >= 0


def test_json_out_and_plot(scenario, tmp_path):
    out = tmp_path / "out"
    done = run(str(scenario), "--set", "agents.0.count=15:17", "--replications", "3",
               "--seed", "9", "--format", "json", "--out", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["seed"] == 9 and data["replications"] == 3
    assert json.loads((out / "sweep.json").read_text()) == data
    assert (out / "sweep.csv").read_text().startswith("agents.0.count,queue,")
    assert f"wrote {out / 'sweep.csv'}" in done.stderr
    assert (out / "service_vs_agents.png").exists() or "plot skipped" in done.stderr
    # The same seed, the same table, whatever runs it.
    again = run(str(scenario), "--set", "agents.0.count=15:17", "--replications", "3",
                "--seed", "9", "--format", "json", "--scheduler", "processes")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == data


@pytest.mark.parametrize("args, words", [
    (["--set", "agents.3.count=5"], ["agents.3.count", "index 0..0"]),
    (["--set", "agents.0.count=9:5"], ["agents.0.count", "START <= STOP"]),
    (["--set", "agents.0.cuont=5"], ["did you mean 'count'"]),
    (["--replications", "0"], ["--replications"]),
    (["--set", "simulation.seed=1:3"], ["simulation.seed", "--seed"]),
    (["--set", "simulation.replications=5"], ["simulation.replications", "--replications"]),
    (["--format", "xml"], ["--format"]),
])
def test_bad_input_is_exit_status_2_and_one_line(scenario, args, words):
    done = run(str(scenario), *args)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    for word in words:
        assert word in done.stderr


def test_a_missing_file_is_exit_status_2(tmp_path):
    done = run(str(tmp_path / "missing.toml"))
    assert done.returncode == 2
    assert "missing.toml" in done.stderr and done.stderr.count("\n") == 1


def test_help_lists_the_options():
    done = subprocess.run([CLI, "sweep", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for option in ("--set", "--replications", "--seed", "--scheduler", "--format", "--out"):
        assert option in done.stdout


def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as file:
            return [int(child) for child in file.read().split()]
    except FileNotFoundError:
        return []


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as file:
            return file.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_signal_to_the_command_stops_its_python_child_too(tmp_path):
    import signal
    import time

    path = tmp_path / "calls.toml"
    path.write_text(SCENARIO)
    env = {k: v for k, v in os.environ.items() if k != "SWITCHBOARD_PYTHONPATH"}
    # Enough work to still be running when the signal comes.
    command = subprocess.Popen(
        [CLI, "sweep", str(path), "--set", "agents.0.count=10:40", "--replications", "2000"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 30
        children = []
        while not children and time.monotonic() < deadline:
            children = _children(command.pid)
            time.sleep(0.05)
        assert children, "the command did not start Python"
        time.sleep(0.5)
        command.send_signal(signal.SIGTERM)
        assert command.wait(timeout=30) == -signal.SIGTERM
        deadline = time.monotonic() + 30
        while any(_alive(child) for child in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(child) for child in children), "the Python sweep outlived the command"
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()
