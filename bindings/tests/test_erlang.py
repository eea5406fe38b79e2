"""switchboard.erlang: the calculators, staffing and intraday staffing, against the command line's
JSON and independent evaluations."""

import datetime
import json
import math
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import switchboard
from switchboard import erlang

INTRADAY = Path(__file__).parents[2] / "examples" / "planning" / "intraday.csv"


def run_cli(*args):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "switchboard", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def exact_erlang_b(n, load):
    """B(N, A) = (A^N / N!) / sum_k A^k / k!, in exact rational arithmetic."""
    load = Fraction(load)
    term = total = Fraction(1)
    for k in range(1, n + 1):
        term = term * load / k
        total += term
    return term / total


def test_erlang_b_matches_exact_rational_arithmetic():
    for agents, load in [(10, 5), (30, 30), (55, 48)]:
        result = erlang.erlang_b(f"{load * 60}/h", "60s", agents)
        assert result["blocking"] == pytest.approx(float(exact_erlang_b(agents, load)), rel=1e-12)
        assert result["load_erlangs"] == pytest.approx(load)


def test_erlang_c_keys_and_values_match_the_cli():
    python = erlang.erlang_c("720/h", "240s", 55, threshold="15s")
    cli = run_cli("erlang", "c", "--arrivals", "720/h", "--aht", "240s", "--agents", "55",
                  "--threshold", "15s", "--format", "json")
    assert cli.returncode == 0, cli.stderr
    assert python == json.loads(cli.stdout)
    assert python["p_wait"] == pytest.approx(0.2387009363780092, rel=1e-10)
    assert python["service_level"] == pytest.approx(0.8458830921705803, rel=1e-10)
    assert set(python) >= {"p_wait", "asa_s", "service_level", "occupancy"}


def test_rates_and_durations_in_every_spelling_agree():
    reference = erlang.erlang_c("720/h", 240, 55, threshold=15)
    for arrivals in ("720/h", "12/m", "0.2/s", 720, 720.0):
        for aht in (240, 240.0, "240s", "4m", datetime.timedelta(minutes=4)):
            for threshold in (15, "15s", datetime.timedelta(seconds=15)):
                assert erlang.erlang_c(arrivals, aht, 55, threshold=threshold) == \
                    pytest.approx(reference)


def test_erlang_a_tends_to_erlang_c_as_patience_grows():
    c = erlang.erlang_c("720/h", 240, 55)
    gaps = [abs(erlang.erlang_a("720/h", 240, 55, patience=p)["service_level"] -
                c["service_level"]) for p in (300, 3000, 30000, 3e6)]
    assert gaps == sorted(gaps, reverse=True)
    assert gaps[-1] < 1e-4
    a = erlang.erlang_a("720/h", 240, 55, patience="5m")
    assert 0 < a["abandon_rate"] < 0.05
    assert a["patience_s"] == 300


def test_an_unstable_erlang_c_queue_has_an_infinite_asa():
    result = erlang.erlang_c("720/h", 240, 48)
    assert math.isinf(result["asa_s"])
    assert result["p_wait"] == 1


def test_theory_curves_are_monotone_per_agent_count():
    levels = [erlang.erlang_c("9000/h", 300, n)["service_level"] for n in range(751, 800)]
    assert levels == sorted(levels)
    abandon = [erlang.erlang_a("9000/h", 300, n, patience=120)["abandon_rate"]
               for n in range(700, 800, 5)]
    assert abandon == sorted(abandon, reverse=True)


def test_staff_finds_the_smallest_count_and_the_scheduled_head_count():
    result = erlang.staff("720/h", "240s", threshold="20s", target=0.8, shrinkage=0.3)
    assert result["agents"] == 54
    assert result["scheduled"] == 78
    assert result["service_level"] >= 0.8
    assert erlang.erlang_c("720/h", 240, 53)["service_level"] < 0.8
    cli = run_cli("staff", "--arrivals", "720/h", "--aht", "240s", "--shrinkage", "0.3",
                  "--format", "json")
    assert json.loads(cli.stdout) == result

    a = erlang.staff(720, 240, model="a", patience=300, max_abandon=0.005, max_occupancy=0.9)
    assert a["abandon_rate"] <= 0.005
    assert a["occupancy"] <= 0.9


def test_staff_model_a_under_heavy_load_is_the_smallest_count():
    # 9,000 Erlangs with patience: the occupancy of Erlang A is 1 here, which is no cap.
    result = erlang.staff("135000/h", "240s", model="a", patience="180s")
    assert result["agents"] == 8176
    assert result["occupancy"] <= 1
    fewer = erlang.erlang_a("135000/h", "240s", 8175, patience="180s")
    assert fewer["service_level"] < 0.8 <= result["service_level"]
    cli = run_cli("staff", "--arrivals", "135000/h", "--aht", "240s", "--model", "a",
                  "--patience", "180s", "--format", "json")
    assert json.loads(cli.stdout) == result


def test_staff_refuses_a_scheduled_head_count_beyond_the_maximum():
    with pytest.raises(switchboard.OutOfRangeError, match="shrinkage 0.9999999999"):
        erlang.staff("720/h", 240, shrinkage=0.9999999999)


@pytest.mark.parametrize("call, message", [
    (lambda: erlang.erlang_c("720", 240, 55), "arrivals: expected a rate like 720/h"),
    (lambda: erlang.erlang_c("720/h", "4x", 55), "aht: "),
    (lambda: erlang.erlang_c("720/h", 0, 55), "average handle time must be > 0"),
    (lambda: erlang.erlang_c("720/h", 240, 0), "agents must be >= 1"),
    (lambda: erlang.erlang_a("720/h", 240, 55, patience=0), "mean patience must be > 0"),
    (lambda: erlang.staff("720/h", 240, target=1.5), "target must be a share"),
    (lambda: erlang.staff("720/h", 240, model="a"), "model A needs a mean patience"),
    (lambda: erlang.staff("720/h", 240, max_abandon=0.1), "max abandon needs model A"),
    (lambda: erlang.staff("720/h", 240, model="x"), "model must be 'c' or 'a'"),
])
def test_bad_values_raise_invalid_argument_with_the_cpp_message(call, message):
    with pytest.raises(switchboard.InvalidArgumentError, match=message) as error:
        call()
    assert isinstance(error.value, ValueError)


def test_the_same_messages_as_the_cli():
    with pytest.raises(switchboard.InvalidArgumentError) as error:
        erlang.staff("720/h", 240, shrinkage=1)
    cli = run_cli("staff", "--arrivals", "720/h", "--aht", "240s", "--shrinkage", "1")
    assert cli.returncode == 2
    assert cli.stderr.strip() == f"switchboard: --shrinkage: {error.value}"


def test_staff_intraday_from_the_example_file_matches_the_cli():
    result = erlang.staff_intraday(INTRADAY, shrinkage=0.3)
    cli = run_cli("staff", "--intraday", str(INTRADAY), "--shrinkage", "0.3", "--format", "json")
    assert json.loads(cli.stdout) == result
    assert len(result["intervals"]) == 24
    assert result["interval_s"] == 1800
    for row in result["intervals"]:
        single = erlang.staff(row["arrivals"] * 2, row["aht_s"], shrinkage=0.3)
        assert row["agents"] == single["agents"]
        assert row["scheduled"] == math.ceil(row["agents"] / 0.7 - 1e-9)


def test_staff_intraday_from_rows():
    rows = [
        {"start": "08:00", "arrivals": 100, "aht_s": 240},
        ("08:30", 150, datetime.timedelta(seconds=250)),
        (datetime.time(9, 0), 0, 240),
        (9 * 3600 + 1800, 80, 260),
    ]
    result = erlang.staff_intraday(rows)
    assert [r["start"] for r in result["intervals"]] == ["08:00", "08:30", "09:00", "09:30"]
    assert result["intervals"][2]["agents"] == 0
    assert result["intervals"][1]["agents"] == erlang.staff(300, 250)["agents"]

    with pytest.raises(switchboard.InvalidArgumentError,
                       match=r"rows: line 3, column 2 \(arrivals\): expected a number >= 0"):
        erlang.staff_intraday([("08:00", 10, 240), ("08:30", -1, 240)])
    with pytest.raises(switchboard.InvalidArgumentError, match="give the interval length"):
        erlang.staff_intraday([("08:00", 10, 240)])
    one = erlang.staff_intraday([("08:00", 10, 240)], interval="15m")
    assert one["interval_s"] == 900


def test_a_malformed_file_names_the_file_line_and_column(tmp_path):
    path = tmp_path / "day.csv"
    path.write_text("start,arrivals,aht_s\n08:00,10,240\n08:30,10,abc\n")
    with pytest.raises(switchboard.InvalidArgumentError) as error:
        erlang.staff_intraday(path)
    assert str(error.value) == \
        f"{path}: line 3, column 3 (aht_s): expected a number of seconds > 0, got 'abc'"


def test_verify_reports_theory_against_simulation_per_interval():
    result = erlang.staff_intraday(INTRADAY, verify=True, replications=10, seed=5)
    assert result["verify"]["replications"] == 10
    assert result["verify"]["disagreeing"] == sum(r["disagrees"] for r in result["intervals"])
    for row in result["intervals"]:
        simulated = row["simulated"]
        assert set(simulated) == {"service_level", "asa_s", "abandon_rate", "offered"}
        assert simulated["offered"]["mean"] == pytest.approx(row["arrivals"], rel=0.25)
        apart = abs(row["service_level"] - simulated["service_level"]["mean"])
        assert row["disagrees"] == (apart > simulated["service_level"]["ci95"] + 0.03 or
                                    abs(simulated["abandon_rate"]["mean"]) > 0.03 +
                                    simulated["abandon_rate"]["ci95"])
    # Most of the day agrees (the flags mark transients at changes of staffing).
    assert result["verify"]["disagreeing"] <= 6
    assert result == erlang.staff_intraday(INTRADAY, verify=True, replications=10, seed=5,
                                           threads=2)


def test_intraday_frame_and_plot(tmp_path):
    pd = pytest.importorskip("pandas")
    result = erlang.staff_intraday(INTRADAY, verify=True, replications=4, shrinkage=0.3)
    frame = erlang.intraday_frame(result)
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 24
    assert {"start", "agents", "scheduled", "sim_service_level",
            "sim_service_level_ci95", "disagrees"} <= set(frame.columns)

    pytest.importorskip("matplotlib")
    figure = switchboard.plot_staffing(result, tmp_path / "staffing.png")
    assert (tmp_path / "staffing.png").stat().st_size > 0
    assert len(figure.axes) == 2
    assert figure.axes[0].get_ylabel() == "agents"
    assert "service level (%)" in figure.axes[1].get_ylabel()
    # The target is marked.
    assert any("target 80%" in text.get_text()
               for text in figure.axes[1].get_legend().get_texts())
    unverified = switchboard.plot_staffing(erlang.staff_intraday(INTRADAY))
    assert len(unverified.axes) == 1
