"""Scenarios, simulate() and `python -m switchboard` against the contract of SCENARIO.md."""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import switchboard

SCENARIOS = Path(__file__).parents[2] / "examples" / "scenarios"
SUPPORT = SCENARIOS / "support.toml"

def load_toml(path):
    tomllib = pytest.importorskip("tomllib")  # Python 3.11
    with open(path, "rb") as f:
        return tomllib.load(f)


def run_cli(*args, cwd=None):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, "-m", "switchboard", *args],
        capture_output=True, text=True, env=env, cwd=cwd, timeout=300,
    )


@pytest.fixture(scope="module")
def results():
    return switchboard.simulate(switchboard.load_scenario(SUPPORT), replications=2)


def assert_kpis(kpis):
    assert tuple(kpis) == switchboard.KPI_NAMES
    for metric in kpis.values():
        assert set(metric) == {"mean", "ci95"}


def test_results_follow_the_contract(results):
    assert list(results)[:6] == [
        "scenario", "seed", "replications", "queues", "overall", "agents",
    ]
    assert results["scenario"] == "support.toml"
    assert results["seed"] == 7
    assert results["replications"] == 2
    assert list(results["queues"]) == ["support"]
    assert_kpis(results["queues"]["support"])
    assert_kpis(results["overall"])
    assert set(results["agents"]["occupancy"]) == {"mean", "ci95"}
    assert results["contacts_simulated"] > 0
    assert len(results["intervals"]) == 16  # 8 h of 30 min
    first = results["intervals"][0]
    assert set(first) == {"start_s", "queues", "overall", "occupancy"}
    assert first["start_s"] == 0
    assert_kpis(first["overall"])
    overall = results["overall"]
    assert 0 <= overall["service_level"]["mean"] <= 1
    assert overall["offered"]["mean"] == pytest.approx(600 * 8, rel=0.1)
    assert overall["service_level"]["ci95"] > 0  # two replications


def test_same_seed_same_results_and_the_scenario_is_not_changed(results):
    scenario = switchboard.load_scenario(SUPPORT)
    assert switchboard.simulate(scenario, replications=2) == results
    assert scenario.replications == 5 and scenario.seed == 7
    assert switchboard.simulate(scenario, replications=2, seed=8) != results
    assert switchboard.simulate(scenario, replications=2, threads=1) == results
    assert switchboard.simulate(scenario, replications=2, threads=2) == results
    with pytest.raises(switchboard.InvalidArgumentError, match="threads"):
        switchboard.simulate(scenario, threads=0)


def test_simulate_accepts_paths_and_dicts(results):
    assert switchboard.simulate(SUPPORT, replications=2) == results
    assert switchboard.simulate(str(SUPPORT), replications=2) == results
    with pytest.raises(TypeError):
        switchboard.simulate(42)


def test_dict_scenario_gives_the_same_results_as_the_file(results):
    data = load_toml(SUPPORT)
    scenario = switchboard.scenario_from_dict(data, name="support.toml")
    assert switchboard.simulate(scenario, replications=2) == results
    assert switchboard.simulate(data, replications=2, seed=7)["queues"] == results["queues"]


def test_bad_dict_names_the_key():
    data = load_toml(SUPPORT)
    data["agents"][0]["cuont"] = data["agents"][0].pop("count")
    with pytest.raises(switchboard.InvalidArgumentError) as info:
        switchboard.scenario_from_dict(data)
    message = str(info.value)
    assert message.startswith("<dict>: [[agents]] #1")
    assert "'cuont'" in message and "'count'" in message
    assert isinstance(info.value, ValueError)

    data = load_toml(SUPPORT)
    data["simulation"]["seed"] = "abc"
    with pytest.raises(switchboard.InvalidArgumentError, match=r"\[simulation\].*'seed'"):
        switchboard.scenario_from_dict(data, name="plan")
    data["simulation"]["seed"] = {1, 2}
    with pytest.raises(switchboard.InvalidArgumentError, match="'simulation.seed'.*set"):
        switchboard.scenario_from_dict(data)


def test_dict_and_file_errors_are_the_same(tmp_path):
    text = SUPPORT.read_text().replace("count = 35", "count = -1")
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    with pytest.raises(switchboard.InvalidArgumentError) as from_file:
        switchboard.load_scenario(bad)
    data = load_toml(bad)
    with pytest.raises(switchboard.InvalidArgumentError) as from_dict:
        switchboard.scenario_from_dict(data, name=str(bad))
    assert str(from_dict.value) == str(from_file.value)
    with pytest.raises(switchboard.InvalidArgumentError) as from_text:
        switchboard.parse_scenario(text, name=str(bad))
    assert str(from_text.value) == str(from_file.value)


def test_missing_file_raises_not_found(tmp_path):
    missing = tmp_path / "missing.toml"
    with pytest.raises(switchboard.NotFoundError) as info:
        switchboard.load_scenario(missing)
    assert str(missing) in str(info.value)


def test_scenario_properties():
    scenario = switchboard.load_scenario(SUPPORT)
    assert scenario.name == "support.toml"
    assert scenario.queues == ["support"]
    assert scenario.agent_count == 35 and scenario.traffic_count == 1
    assert (scenario.duration, scenario.warmup, scenario.interval) == (8 * 3600, 3600, 1800)
    other = copy.copy(scenario)
    other.duration = 3600
    other.replications = 1
    other.interval = 900
    assert scenario.duration == 8 * 3600
    short = switchboard.simulate(other)
    assert short["replications"] == 1 and len(short["intervals"]) == 4
    other.replications = 0
    with pytest.raises(switchboard.InvalidArgumentError):
        other.validate()
    with pytest.raises(switchboard.InvalidArgumentError):
        switchboard.simulate(other)


def test_progress_is_called_after_each_replication():
    calls = []
    switchboard.simulate(SUPPORT, replications=3, progress=lambda done, total: calls.append(
        (done, total)))
    assert sorted(calls) == [(1, 3), (2, 3), (3, 3)]


def test_records_and_dataframe(results):
    rows = switchboard.to_records(results)
    assert [r["queue"] for r in rows] == ["support", "overall"]
    assert rows[1]["service_level"] == results["overall"]["service_level"]["mean"]
    assert rows[1]["service_level_ci95"] == results["overall"]["service_level"]["ci95"]
    interval_rows = switchboard.to_records(results, intervals=True)
    assert len(interval_rows) == 16 * 2
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="needs pandas"):
            switchboard.to_dataframe(results)
    else:
        frame = switchboard.to_dataframe(results, intervals=True)
        assert len(frame) == 32 and "service_level_ci95" in frame.columns


def test_plot_intervals_writes_a_png(results, tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "sl.png"
    figure = switchboard.plot_intervals(results, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Axes in the reader's units, not field names.
    assert figure.axes[0].get_ylabel() == "service level (%)"
    with pytest.raises(ValueError, match="metric 'nope'"):
        switchboard.plot_intervals(results, metric="nope")


def test_plot_intervals_marks_the_target_and_draws_a_panel_per_metric(results):
    pytest.importorskip("matplotlib")
    figure = switchboard.plot_intervals(results, metric=("service_level", "asa_s"), targets=0.8)
    service, asa = figure.axes
    assert asa.get_ylabel() == "average speed of answer (s)"
    targets = [line for line in service.get_lines() if line.get_label() == "target 80%"]
    assert len(targets) == 1 and list(targets[0].get_ydata()) == [80.0, 80.0]
    # Service level is drawn in percent: every mean lies in 0..100 and most above 1.
    (support,) = [line for line in service.get_lines() if line.get_label() == "support"]
    values = [y for y in support.get_ydata() if y == y]
    assert all(0 <= y <= 100 for y in values) and max(values) > 1


def test_python_m_switchboard_simulate_prints_the_same_json(results):
    done = run_cli("simulate", str(SUPPORT), "--replications", "2", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == results


def kpi_objects(results):
    """Every KPI object of a results dict: per queue, overall, and the same per interval."""
    yield from results["queues"].values()
    yield results["overall"]
    for interval in results["intervals"]:
        yield from interval["queues"].values()
        yield interval["overall"]


def test_kpi_names_are_the_keys_of_the_cli_output_and_of_simulate(results, tmp_path):
    names = switchboard.KPI_NAMES
    assert type(names) is tuple and names is switchboard._core.KPI_NAMES
    assert len(names) == len(set(names)) > 0 and all(type(n) is str for n in names)
    done = run_cli("simulate", str(SUPPORT), "--replications", "2", "--format", "json",
                   "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    cli = json.loads(done.stdout)  # keys in the order the JSON lists them
    for source in (cli, results):
        objects = list(kpi_objects(source))
        assert len(objects) == 2 + 16 * 2  # one queue and overall, then per interval
        for kpis in objects:
            assert tuple(kpis) == names
    header = (tmp_path / "intervals.csv").read_text().splitlines()[0].split(",")
    assert header == ["interval_start_s", "queue",
                      *[c for n in names for c in (n, n + "_ci95")],
                      "occupancy", "occupancy_ci95"]
    row = switchboard.to_records(results)[0]
    assert list(row) == ["queue", *[c for n in names for c in (n, n + "_ci95")]]


def test_python_m_switchboard_malformed_file_exits_2(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text("[simulation\nseed = 7\n")
    done = run_cli("simulate", str(bad), "--format", "json")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0]


def test_python_m_switchboard_version():
    done = run_cli("--version")
    assert done.returncode == 0
    assert switchboard.__version__ in done.stdout


def test_requirement_steps_in_a_scenario_dict():
    def center(steps):
        queue = {"name": "q", "requirement": "support >= 5"}
        if steps:
            queue["step"] = [{"after": "20s", "requirement": "support >= 1"}]
        return {
            "simulation": {"seed": 5, "duration": "2h", "warmup": "30m", "replications": 2},
            "queue": [queue],
            "traffic": [{"queue": "q", "arrivals": {"rate": 360, "per": "1h"},
                         "handle": {"dist": "exponential", "mean": "150s"},
                         "patience": {"dist": "exponential", "mean": "120s"}}],
            "agents": [{"name": "expert", "count": 6, "skills": {"support": 5}},
                       {"name": "novice", "count": 12, "skills": {"support": 2}}],
        }

    strict = switchboard.simulate(center(steps=False))["queues"]["q"]["abandon_rate"]["mean"]
    relaxed = switchboard.simulate(center(steps=True))["queues"]["q"]["abandon_rate"]["mean"]
    assert strict > 0.4 and relaxed < 0.2


def test_overflow_rules_in_a_scenario_dict_and_their_kpis():
    def center(overflow):
        return {
            "simulation": {"seed": 3, "duration": "2h", "replications": 2},
            "queue": [{"name": "q", "overflow": overflow}],
            "traffic": [{"queue": "q", "arrivals": {"rate": 100, "per": "1h"},
                         "handle": {"dist": "exponential", "mean": "3m"}}],
            "agents": [{"count": 4, "skills": {}}],
        }

    rules = [{"when": {"wait": "60s"}, "action": "callback", "accept": 1.0,
              "callback": {"answer": 0.5, "retries": 1}}]
    overall = switchboard.simulate(center(rules))["overall"]
    assert overall["callbacks"]["mean"] > 0
    assert overall["overflowed"]["mean"] >= overall["callbacks"]["mean"]
    assert 0 < overall["overflow_rate"]["mean"] <= 1
    # The scenario loader's own message and key path (its rules count from 1).
    with pytest.raises(switchboard.InvalidArgumentError,
                       match=r"key 'overflow\[1\]\.when': expected \{ wait = "):
        switchboard.scenario_from_dict(center([{"when": "wait", "action": "voicemail"}]))
