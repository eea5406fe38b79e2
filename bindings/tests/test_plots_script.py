"""plots.py run as a script, the way the command line runs it (tools/python_runner.cc)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import switchboard.plots

SCRIPT = Path(switchboard.plots.__file__)


def run(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=120)


def test_an_unknown_kind_is_a_usage_error():
    done = run("nope", "in.json", "out.png")
    assert done.returncode == 2
    assert "usage: plots.py" in done.stderr and "intervals" in done.stderr


def test_the_script_draws_the_intervals_with_its_options(tmp_path):
    pytest.importorskip("matplotlib")
    results = switchboard.simulate(
        Path(__file__).parents[2] / "examples" / "scenarios" / "support.toml", replications=2)
    data = tmp_path / "results.json"
    data.write_text(json.dumps(results))
    png = tmp_path / "intervals.png"
    done = run("intervals", str(data), str(png), json.dumps({"targets": {"support": 0.8}}))
    assert done.returncode == 0, done.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_data_fails_with_the_reason_on_the_last_line(tmp_path):
    pytest.importorskip("matplotlib")
    data = tmp_path / "results.json"
    data.write_text(json.dumps({"queues": {}, "intervals": []}))
    done = run("intervals", str(data), str(tmp_path / "x.png"))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == "ValueError: the results have no intervals"
