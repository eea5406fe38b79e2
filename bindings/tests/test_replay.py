"""switchboard.replay, fit_patience and plot_replay: a simulated day replayed with its own
scenario reproduces its waits, more agents shorten them, and a malformed row names its line and
column."""

import csv
import io
from pathlib import Path

import pytest

import switchboard

PLANNING = Path(__file__).parents[2] / "examples" / "planning"
CENTER = PLANNING / "replay_center.toml"


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    """A log written by `switchboard simulate --contacts`."""
    path = tmp_path_factory.mktemp("replay") / "day.csv"
    status = switchboard._core.cli_main(
        ["switchboard", "simulate", str(CENTER), "--format", "json", "--contacts", str(path)])
    assert status == 0
    return path


def test_a_day_replayed_with_its_own_scenario_reproduces_it(day):
    result = switchboard.replay(day, CENTER, replications=3, seed=5)
    assert set(result) >= {"scenario", "log", "patience", "agreement", "logged", "replayed",
                           "contacts", "waits", "threshold_s"}
    agreement = result["agreement"]
    assert agreement["compared"] > 500
    assert agreement["mean_abs_wait_difference_s"] <= 0.5
    assert agreement["within_1s"] >= 0.99
    logged, replayed = result["logged"]["overall"], result["replayed"]["overall"]
    assert tuple(replayed) == switchboard.KPI_NAMES
    assert replayed["offered"]["mean"] == logged["offered"]["mean"]
    assert replayed["service_level"]["mean"] == pytest.approx(logged["service_level"]["mean"],
                                                              abs=0.01)
    assert replayed["asa_s"]["mean"] == pytest.approx(logged["asa_s"]["mean"], abs=0.5)
    assert logged["ewt_error_s"]["mean"] is None  # not in a log
    assert result["replayed"]["replications"] == 3
    assert result["threshold_s"] == 20.0
    with open(day, encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(result["contacts"]) == len(rows)
    assert result["contacts"][0]["logged_wait_s"] == float(rows[0]["wait_s"])
    waits = result["waits"]
    assert len(waits["logged_wait_s"]) == len(waits["replayed_wait_s"]) == agreement["compared"]


def test_more_agents_shorten_the_replayed_waits(day):
    text = CENTER.read_text(encoding="utf-8").replace("count = 21", "count = 24")
    assert "count = 24" in text
    more = switchboard.parse_scenario(text, "more.toml")
    result = switchboard.replay(str(day), more, replications=2)
    logged, replayed = result["logged"]["overall"], result["replayed"]["overall"]
    assert replayed["first_attempts"]["mean"] == logged["first_attempts"]["mean"]
    assert replayed["asa_s"]["mean"] < 0.5 * logged["asa_s"]["mean"]
    assert replayed["abandoned"]["mean"] < logged["abandoned"]["mean"]


def test_rows_as_dicts_and_the_patience_fit_by_hand():
    rows = [
        {"arrival_s": 0, "queue": "support", "handle_s": 100, "outcome": "abandoned",
         "wait_s": 30},
        {"arrival_s": 5, "queue": "support", "handle_s": 100, "outcome": "answered",
         "wait_s": 10},
        {"arrival_s": 9, "queue": "support", "handle_s": 100, "outcome": "answered",
         "wait_s": 20},
    ]
    fit = switchboard.fit_patience(rows)
    assert fit == {"method": "exponential_mle_censored", "mean_s": 60.0, "contacts": 3,
                   "abandoned": 1, "total_wait_s": 60.0}
    result = switchboard.replay(rows, CENTER, replications=1)
    # 21 free agents: nobody waits in the replay; the one who abandoned was answered.
    assert [c["replayed_wait_s"] for c in result["contacts"]] == [0.0, 0.0, 0.0]
    assert result["replayed"]["overall"]["abandoned"]["mean"] == 0
    assert result["logged"]["overall"]["abandoned"]["mean"] == 1
    rows[1]["outcome"] = "abandoned"
    rows[0]["outcome"] = "answered"
    assert switchboard.fit_patience(rows)["mean_s"] == 60.0
    for row in rows:
        row["outcome"] = "answered"
    assert switchboard.fit_patience(rows)["mean_s"] is None  # nobody abandoned


@pytest.mark.parametrize("column, value, message", [
    ("arrival_s", "soon", "column 'arrival_s': 'soon' is not a number of seconds"),
    ("handle_s", "-3", "column 'handle_s': '-3' is not a number of seconds"),
    ("outcome", "lost", "column 'outcome': 'lost'; expected answered"),
    ("wait_s", "", "column 'wait_s': empty; expected"),
    ("channel", "telex", "column 'channel': unknown channel 'telex'"),
])
def test_a_malformed_row_names_its_line_and_column(column, value, message):
    rows = [
        {"arrival_s": 0, "queue": "support", "channel": "voice", "handle_s": 60,
         "outcome": "answered", "wait_s": 1},
        {"arrival_s": 3, "queue": "support", "channel": "voice", "handle_s": 60,
         "outcome": "answered", "wait_s": 2},
    ]
    rows[1][column] = value
    with pytest.raises(switchboard.InvalidArgumentError) as error:
        switchboard.replay(rows, CENTER)
    assert str(error.value).startswith("<rows>: line 3, " + message)
    with pytest.raises(switchboard.InvalidArgumentError):
        switchboard.fit_patience(rows)


def test_a_queue_the_scenario_lacks_is_refused():
    rows = [{"arrival_s": 0, "queue": "billing", "handle_s": 60, "outcome": "answered",
             "wait_s": 0}]
    with pytest.raises(switchboard.InvalidArgumentError,
                       match="^<rows>: line 2, column 'queue': queue 'billing' is not a "
                             "queue of the scenario$"):
        switchboard.replay(rows, CENTER)


def test_a_row_error_names_the_file_line_blank_lines_included(tmp_path):
    log = tmp_path / "day.csv"
    log.write_text("arrival_s,queue,handle_s,outcome,wait_s\n\n0,support,60,answered,0\n\n"
                   "5,billing,60,answered,0\n", encoding="utf-8")
    with pytest.raises(switchboard.InvalidArgumentError,
                       match="^" + str(log) + ": line 5, column 'queue': queue 'billing'"):
        switchboard.replay(log, CENTER)


def test_plot_replay_writes_a_png(day, tmp_path):
    pytest.importorskip("matplotlib")
    result = switchboard.replay(day, CENTER, replications=1)
    figure = switchboard.plot_replay(result, tmp_path / "waits.png")
    assert (tmp_path / "waits.png").stat().st_size > 10_000
    axes = figure.axes[0]
    assert axes.get_xlabel() == "logged wait (s)"
    assert axes.get_ylabel() == "replayed wait (s)"
    # The threshold is marked on both axes.
    assert sum(line.get_linestyle() == "--" for line in axes.get_lines()) == 2


def test_kaplan_meier_by_hand_and_in_a_replay(day):
    rows = [{"arrival_s": i, "queue": "support", "handle_s": 60, "outcome": outcome,
             "wait_s": wait}
            for i, (wait, outcome) in enumerate([(10, "abandoned"), (10, "answered"),
                                                 (20, "abandoned"), (5, "answered"),
                                                 (30, "abandoned")])]
    fit = switchboard.fit_patience(rows, "kaplan_meier")
    assert fit["method"] == "kaplan_meier"
    assert fit["survival"] == [(10.0, 0.75), (20.0, 0.375), (30.0, 0.0)]
    assert fit["median_s"] == 20.0
    result = switchboard.replay(day, CENTER, replications=2, patience="kaplan_meier")
    assert result["patience"]["method"] == "kaplan_meier"
    assert result["agreement"]["mean_abs_wait_difference_s"] <= 0.5
    with pytest.raises(switchboard.InvalidArgumentError, match="expected 'exponential' or"):
        switchboard.fit_patience(rows, "weibull")


def test_a_byte_order_mark_before_the_header_is_skipped(tmp_path):
    log = tmp_path / "bom.csv"
    log.write_text("arrival_s,queue,handle_s,outcome,wait_s\n0,support,60,answered,0\n",
                   encoding="utf-8-sig")
    result = switchboard.replay(log, CENTER, replications=1)
    assert result["agreement"]["contacts"] == 1
