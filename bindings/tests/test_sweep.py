"""switchboard.sweep: the grid, its errors, the same table on every scheduler, the Erlang C
curve, the plots and `python3 -m switchboard sweep`."""

import importlib
import json
import math
import os
import statistics
import subprocess
import sys

import pytest

import switchboard

pd = pytest.importorskip("pandas")
sweep_module = importlib.import_module("switchboard.sweep")

# An hour of 600 calls/h with 3-minute exponential handle times (30 Erlangs), customers who give
# up after 5 minutes on average; two groups so that most_skilled has something to choose.
SMALL = """
[simulation]
seed = 11
duration = "1h"
warmup = "15m"
replications = 3

[[queue]]
name = "support"
strategy = "longest_idle"
require = { support = 1 }
service_level = { threshold = "20s", target = 0.8 }

[[traffic]]
queue = "support"
arrivals = { rate = 600, per = "1h" }
handle = { dist = "exponential", mean = "3m" }
patience = { dist = "exponential", mean = "5m" }

[[agents]]
name = "senior"
count = 30
skills = { support = 5 }

[[agents]]
name = "junior"
count = 4
skills = { support = 2 }
"""


@pytest.fixture()
def small(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL)
    return path


def test_values_ranges_lists_and_types():
    assert sweep_module.parse_values("k", "30:34") == [30, 31, 32, 33, 34]
    assert sweep_module.parse_values("k", "30:45:5") == [30, 35, 40, 45]
    assert sweep_module.parse_values("k", "7") == [7]
    assert sweep_module.parse_values("k", "longest_idle,most_skilled") == [
        "longest_idle", "most_skilled"]
    values = sweep_module.parse_values("k", "1,2.5,true,false,45s,1e3")
    assert values == [1, 2.5, True, False, "45s", 1000.0]
    assert [type(v) for v in values] == [int, float, bool, bool, str, float]
    # Only integers make a range: other text with a colon is a value.
    assert sweep_module.parse_values("k", "08:00-17:00") == ["08:00-17:00"]
    assert sweep_module.parse_values("k", "30:4x") == ["30:4x"]


def test_grid_from_a_dict_or_strings():
    a = sweep_module.parse_grid({"agents.0.count": "30:31", "queue.0.strategy": ["random"]})
    b = sweep_module.parse_grid(["agents.0.count=30:31", "queue.0.strategy=random"])
    assert a == b == [("agents.0.count", [30, 31]), ("queue.0.strategy", ["random"])]
    assert sweep_module.parse_grid({"agents.0.count": range(3, 5)}) == [("agents.0.count", [3, 4])]


@pytest.mark.parametrize("spec, words", [
    (["agents.0.count"], ["KEY=VALUES"]),
    (["agents.0.count=45:30"], ["agents.0.count", "START <= STOP"]),
    (["agents.0.count=30:45:0"], ["agents.0.count", "step of at least 1"]),
    (["agents.0.count=30,,31"], ["agents.0.count", "empty value"]),
    (["agents..count=3"], ["agents..count", "dot-separated"]),
    (["agents.0.count=3", "agents.0.count=4"], ["agents.0.count", "given twice"]),
    ({"agents.0.count": []}, ["agents.0.count", "at least one value"]),
    ("agents.0.count=3", ["KEY=VALUES strings"]),
])
def test_grid_errors(spec, words):
    with pytest.raises(ValueError) as error:
        sweep_module.parse_grid(spec)
    for word in words:
        assert word in str(error.value)


@pytest.mark.parametrize("key, words", [
    ("agents.2.count", ["agents.2.count", "2 [[agents]]", "index 0..1"]),
    ("agents.x.count", ["agents.x.count", "index 0..1", "'x'"]),
    ("agents.0.count.x", ["agents.0.count.x", "not a table"]),
    ("agents", ["array of tables", "agents.0.count"]),
    ("route.0.queue", ["no [[route]]"]),
])
def test_key_errors(small, key, words):
    with pytest.raises(ValueError) as error:
        switchboard.sweep(small, {key: "1"})
    for word in words:
        assert word in str(error.value)


def test_a_variant_the_loader_refuses_is_named_before_anything_runs(small):
    calls = []
    with pytest.raises(switchboard.InvalidArgumentError) as error:
        switchboard.sweep(small, ["agents.0.count=1,0"], progress=lambda d, t: calls.append(d))
    assert "variant agents.0.count=0" in str(error.value)
    assert "count" in str(error.value)
    assert calls == []
    with pytest.raises(switchboard.InvalidArgumentError, match="did you mean 'count'"):
        switchboard.sweep(small, ["agents.0.cuont=3"])
    with pytest.raises(switchboard.InvalidArgumentError, match="strategy"):
        switchboard.sweep(small, ["queue.0.strategy=bogus"])
    with pytest.raises(switchboard.NotFoundError):
        switchboard.sweep(small.parent / "missing.toml", [])


@pytest.mark.parametrize("key, option", [
    ("simulation.seed", "--seed"),
    ("simulation.replications", "--replications"),
])
def test_the_seed_and_replications_are_arguments_not_keys(small, key, option):
    calls = []
    for spec in ({key: "1:3"}, [f"{key}=5"]):
        with pytest.raises(ValueError) as error:
            switchboard.sweep(small, spec, progress=lambda d, t: calls.append(d))
        message = str(error.value)
        assert f"key '{key}'" in message and option in message
        assert option.lstrip("-") + "=" in message  # the Python argument
    assert calls == []
    # Other simulation keys vary as any other.
    table = switchboard.sweep(small, {"simulation.duration": "30m,1h"}, replications=1)
    assert list(table["simulation.duration"]) == ["30m", "30m", "1h", "1h"]


def test_bad_arguments(small):
    with pytest.raises(ValueError, match="replications"):
        switchboard.sweep(small, [], replications=0)
    with pytest.raises(ValueError, match="seed"):
        switchboard.sweep(small, [], seed=-1)
    with pytest.raises(ValueError, match="scheduler"):
        switchboard.sweep(small, [], scheduler="gpu")
    with pytest.raises(ValueError, match="workers"):
        switchboard.sweep(small, [], workers=0)
    with pytest.raises(TypeError, match="scenario"):
        switchboard.sweep(42, [])


def test_seeds_depend_only_on_the_base_and_the_replication():
    seeds = [sweep_module.replication_seed(7, r) for r in range(100)]
    assert len(set(seeds)) == 100
    assert all(0 <= s < 2**64 for s in seeds)
    assert sweep_module.replication_seed(7, 3) == seeds[3]
    assert sweep_module.replication_seed(8, 3) != seeds[3]


def test_the_table_is_each_replications_simulation_summarized(small):
    progress = []
    table = switchboard.sweep(small, {"agents.0.count": "29:30"}, replications=3,
                              progress=lambda done, total: progress.append((done, total)))
    assert progress == [(i, 6) for i in range(1, 7)]
    kpis = list(switchboard.KPI_NAMES) + ["occupancy"]
    expected_columns = ["agents.0.count", "queue"]
    for kpi in kpis:
        expected_columns += [kpi, kpi + "_ci95"]
    assert list(table.columns) == expected_columns
    assert list(table["agents.0.count"]) == [29, 29, 30, 30]
    assert list(table["queue"]) == ["support", "overall"] * 2
    assert table.attrs["keys"] == ["agents.0.count"]
    assert table.attrs["seed"] == 11 and table.attrs["replications"] == 3
    assert table.attrs["targets"] == {"support": 0.8, "overall": 0.8}
    assert table.attrs["labels"] == {"agents.0.count": "agents (senior)"}

    # Each replication is simulate() of the variant with replication_seed(11, r).
    variant = sweep_module.read_scenario(small)[0]
    variant["agents"][0]["count"] = 30
    runs = [switchboard.simulate(variant, replications=1, seed=sweep_module.replication_seed(11, r),
                                 threads=1) for r in range(3)]
    row = table[(table["agents.0.count"] == 30) & (table["queue"] == "support")].iloc[0]
    for kpi in ("offered", "service_level", "asa_s", "abandon_rate"):
        values = [run["queues"]["support"][kpi]["mean"] for run in runs]
        assert row[kpi] == pytest.approx(statistics.fmean(values), rel=1e-12)
        half = 4.3027 * statistics.stdev(values) / math.sqrt(3)
        assert row[kpi + "_ci95"] == pytest.approx(half, rel=1e-9, abs=1e-12)
    occupancy = [run["agents"]["occupancy"]["mean"] for run in runs]
    assert row["occupancy"] == pytest.approx(statistics.fmean(occupancy), rel=1e-12)

    # Common random numbers: every variant sees the same arrivals.
    offered = table[table["queue"] == "overall"]["offered"]
    assert offered.iloc[0] == offered.iloc[1]
    # More agents, better service (same customers).
    sl = table[table["queue"] == "overall"]["service_level"]
    assert sl.iloc[1] > sl.iloc[0]


def test_one_replication_has_a_zero_half_width(small):
    table = switchboard.sweep(small, None, replications=1)
    assert list(table.columns)[0] == "queue"
    assert (table["service_level_ci95"] == 0).all()
    assert (table["offered"] > 0).all()


def _assert_same(a, b):
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert a.attrs == b.attrs


def test_the_same_table_on_threads_processes_and_a_dask_cluster(small):
    grid = {"agents.0.count": "29:30", "queue.0.strategy": "longest_idle,most_skilled"}
    local = switchboard.sweep(small, grid, replications=2, workers=2)
    assert len(local) == 2 * 2 * 2
    assert not local.equals(switchboard.sweep(small, grid, replications=2, seed=12))
    _assert_same(local, switchboard.sweep(small, grid, replications=2, workers=1))
    _assert_same(local, switchboard.sweep(small, grid, replications=2, scheduler="processes",
                                          workers=2))

    distributed = pytest.importorskip("distributed", reason="Dask distributed is not installed")
    asan = "asan" in os.environ.get("LD_PRELOAD", "")
    try:
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           host="127.0.0.1", dashboard_address=None)
    except Exception as error:  # noqa: BLE001
        if asan:
            pytest.skip(f"a Dask LocalCluster does not start with the ASan runtime preloaded: "
                        f"{error}")
        raise
    with cluster, distributed.Client(cluster) as client:
        _assert_same(local, switchboard.sweep(small, grid, replications=2, scheduler=client))
        _assert_same(local, switchboard.sweep(small, grid, replications=2,
                                              scheduler=cluster.scheduler_address))


# M/M/N: no abandonment, exponential handle times, one queue and one group.
MMN = """
[simulation]
seed = 5
duration = "8h"
warmup = "1h"
replications = 10

[[queue]]
name = "calls"
service_level = { threshold = "20s", target = 0.8 }

[[traffic]]
queue = "calls"
arrivals = { rate = 600, per = "1h" }
handle = { dist = "exponential", mean = "3m" }

[[agents]]
name = "agent"
count = 33
"""


def test_service_level_against_agents_follows_erlang_c(tmp_path):
    erlang = switchboard.erlang
    path = tmp_path / "mmn.toml"
    path.write_text(MMN)
    table = switchboard.sweep(path, {"agents.0.count": "32:36"})
    rows = table[table["queue"] == "overall"]
    assert len(rows) == 5
    for _, row in rows.iterrows():
        n = int(row["agents.0.count"])
        theory = erlang.erlang_c(600, 180.0, n, threshold=20.0)  # per hour, seconds
        sl, asa = theory["service_level"], theory["asa_s"]
        assert abs(row["service_level"] - sl) <= row["service_level_ci95"] + 0.02, n
        assert abs(row["asa_s"] - asa) <= row["asa_s_ci95"] + max(1.0, 0.1 * asa), n
    curve = sweep_module.theory_curve(sweep_module.read_scenario(path)[0], "agents.0.count",
                                      list(rows["agents.0.count"]))
    assert [point["agents"] for point in curve] == [32, 33, 34, 35, 36]
    for point in curve:
        theory = erlang.erlang_c(600, 180.0, int(point["agents"]), threshold=20.0)
        assert point["model"] == "Erlang C"
        assert point["service_level"] == theory["service_level"]
        assert point["asa_s"] == theory["asa_s"]


class RecordingErlang:
    """Stands in for switchboard.erlang to see what theory_curve asks of it (not a formula)."""

    def __init__(self):
        self.calls = []

    def erlang_c(self, arrivals, aht, agents, threshold):
        self.calls.append(("c", arrivals, aht, agents, threshold))
        return {"service_level": agents / 100, "asa_s": 1.0 * agents}

    def erlang_a(self, arrivals, aht, agents, patience, threshold):
        self.calls.append(("a", arrivals, aht, agents, patience, threshold))
        return {"service_level": agents / 100, "asa_s": 2.0 * agents}


def test_which_scenarios_get_a_theory_curve_and_in_what_units(monkeypatch, tmp_path):
    fake = RecordingErlang()
    monkeypatch.setattr(sweep_module, "erlang", fake)
    path = tmp_path / "mmn.toml"
    path.write_text(MMN)
    base = sweep_module.read_scenario(path)[0]

    # Erlang C, arrivals per hour and seconds; no point at or beyond 100 % load (30 Erlangs).
    curve = sweep_module.theory_curve(base, "agents.0.count", [30, 31, 32])
    assert fake.calls == [("c", 600.0, 180.0, 31, 20.0), ("c", 600.0, 180.0, 32, 20.0)]
    assert curve == [{"agents": 31.0, "service_level": 0.31, "asa_s": 31.0, "model": "Erlang C"},
                     {"agents": 32.0, "service_level": 0.32, "asa_s": 32.0, "model": "Erlang C"}]

    # Erlang A with exponential patience.
    fake.calls.clear()
    base["traffic"][0]["patience"] = {"dist": "exponential", "mean": "4m"}
    base["queue"][0]["service_level"]["threshold"] = "1m30s"
    curve = sweep_module.theory_curve(base, "agents.0.count", [29])
    assert fake.calls == [("a", 600.0, 180.0, 29, 240.0, 90.0)]
    assert curve[0]["model"] == "Erlang A" and curve[0]["asa_s"] == 58.0
    base["traffic"][0]["arrivals"] = {"rate": 10, "per": "1m"}
    fake.calls.clear()
    sweep_module.theory_curve(base, "agents.0.count", [29])
    assert fake.calls == [("a", 600.0, 180.0, 29, 240.0, 90.0)]

    # Not the textbook queue: none.
    for change in (lambda b: b["traffic"][0].update(patience={"dist": "lognormal", "mean": 60,
                                                                "sd": 10}),
                   lambda b: b["traffic"][0].update(handle={"dist": "constant", "mean": 180}),
                   lambda b: b["traffic"][0].update(wrap_up="10s"),
                   lambda b: b["agents"].append({"name": "more", "count": 2}),
                   lambda b: b["traffic"][0].update(arrivals={"per": "1h", "rates": [600, 300]})):
        other = sweep_module.read_scenario(path)[0]
        change(other)
        assert sweep_module.theory_curve(other, "agents.0.count", [31]) is None
    assert sweep_module.theory_curve(base, "traffic.0.arrivals.rate", [500]) is None


def test_plots(small, tmp_path):
    pytest.importorskip("matplotlib")
    two = switchboard.sweep(small, {"agents.0.count": "29:30", "agents.1.count": "3,5"},
                            replications=2)
    figure = switchboard.plot_sweep(two, tmp_path / "heat.png")
    assert (tmp_path / "heat.png").stat().st_size > 1000
    axes = figure.axes[0]
    assert axes.get_xlabel() == "agents (junior)" and axes.get_ylabel() == "agents (senior)"
    assert len(axes.texts) == 4
    # The cells that meet the 80 % target are outlined, and only those.
    overall = two[two["queue"] == "overall"]
    assert len(axes.patches) == int((overall["service_level"] >= 0.8).sum())
    assert 0 < len(axes.patches) < 4
    assert figure.axes[1].get_ylabel() == "service level (%)"

    one = switchboard.sweep(small, {"agents.0.count": "29:30"}, replications=2)
    curve = [{"agents": 29, "service_level": 0.5, "asa_s": 30.0},
             {"agents": 30, "service_level": 0.6, "asa_s": 20.0}]
    figure = switchboard.plot_sweep(one, tmp_path / "agents.png", curve=curve)
    assert (tmp_path / "agents.png").stat().st_size > 1000
    top, bottom = figure.axes
    assert top.get_ylabel() == "service level (%)"
    assert bottom.get_ylabel() == "average speed of answer (s)"
    assert bottom.get_xlabel() == "agents (senior)"
    labels = top.get_legend_handles_labels()[1]
    assert "theory (Erlang)" in labels and "target 80%" in labels

    # The command line's way: plots.py KIND INPUT.json OUTPUT.png [OPTIONS_JSON].
    data_path = tmp_path / "sweep.json"
    data_path.write_text(json.dumps(sweep_module.to_json_data(two)))
    plots = importlib.import_module("switchboard.plots")
    assert plots.main(["sweep_heatmap", str(data_path), str(tmp_path / "asa.png"),
                       json.dumps({"metric": "asa_s", "queue": "support"})]) == 0
    assert (tmp_path / "asa.png").stat().st_size > 1000
    figure = plots.sweep_heatmap(json.loads(data_path.read_text()), metric="asa_s")
    assert figure.axes[1].get_ylabel() == "average speed of answer (s)"
    assert not figure.axes[0].patches  # no target for the ASA

    with pytest.raises(ValueError, match="one or two varied keys"):
        switchboard.plot_sweep(switchboard.sweep(small, None, replications=1))
    with pytest.raises(ValueError, match="queue 'nope'"):
        switchboard.plot_sweep(one, queue="nope")


def run_module(*args):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "switchboard", "sweep", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_python_m_switchboard_sweep(small, tmp_path):
    done = run_module(str(small), "--set", "agents.0.count=29:30", "--replications", "2",
                      "--format", "json", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["keys"] == ["agents.0.count"] and data["replications"] == 2
    assert [row["queue"] for row in data["rows"]] == ["support", "overall"] * 2
    assert (tmp_path / "out" / "sweep.csv").exists()
    assert json.loads((tmp_path / "out" / "sweep.json").read_text()) == data

    bad = run_module(str(small), "--set", "agents.7.count=3")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "agents.7.count" in bad.stderr
    assert bad.stdout == ""
    bad = run_module(str(small), "--replications", "x")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def _fail(*args, **kwargs):
    raise RuntimeError("the renderer broke\nsecond line of the reason")


@pytest.mark.parametrize("grid, name, png", [
    (["agents.0.count=29:30"], "theory_curve", "service_vs_agents.png"),
    (["agents.0.count=29:30"], "plots.service_vs_agents", "service_vs_agents.png"),
    (["agents.0.count=29:30", "agents.1.count=3,4"], "plots.sweep_heatmap", "sweep_heatmap.png"),
])
def test_a_failed_plot_is_skipped_and_the_table_stands(small, tmp_path, monkeypatch, capsys,
                                                       grid, name, png):
    owner, _, attribute = name.rpartition(".")
    target = sweep_module if not owner else importlib.import_module("switchboard." + owner)

    def half_drawn(data, path, **kwargs):  # leaves a partial file behind, then fails
        with open(path, "wb") as file:
            file.write(b"\x89PNG partial")
        _fail()

    monkeypatch.setattr(target, attribute, _fail if attribute == "theory_curve" else half_drawn)
    out = tmp_path / "out"
    args = [str(small), "--replications", "2", "--format", "csv", "--out", str(out)]
    for entry in grid:
        args += ["--set", entry]
    assert sweep_module.main(args) == 0
    captured = capsys.readouterr()
    variants = 2 if len(grid) == 1 else 4
    assert captured.out.count("\n") == 1 + 2 * variants  # the whole table on stdout
    assert (out / "sweep.csv").read_text() == captured.out
    assert json.loads((out / "sweep.json").read_text())["keys"] == [g.split("=")[0] for g in grid]
    assert "Traceback" not in captured.err
    assert captured.err.splitlines()[-1] == "plot skipped: the renderer broke"
    assert f"wrote {out / 'sweep.json'}" in captured.err
    assert not (out / png).exists()


def test_a_missing_matplotlib_is_named_as_the_command_line_names_it(small, tmp_path, monkeypatch,
                                                                    capsys):
    def no_matplotlib(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'matplotlib'", name="matplotlib")

    monkeypatch.setattr(importlib.import_module("switchboard.plots"), "service_vs_agents",
                        no_matplotlib)
    out = tmp_path / "out"
    assert sweep_module.main([str(small), "--set", "agents.0.count=30", "--replications", "1",
                              "--out", str(out)]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == "plot skipped: matplotlib not available"
    assert (out / "sweep.csv").exists()
