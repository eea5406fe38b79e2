"""Erlang B, C and A, and staffing, from Python: the calculators of ``switchboard/erlang.h`` and
``switchboard/staffing.h``, returning dicts with the keys the command line prints
(``switchboard erlang``, ``switchboard staff``).

Rates are strings as on the command line (``"720/h"``, ``"12/m"``, ``"0.2/s"``) or numbers of
contacts **per hour**. Durations are float seconds, ``datetime.timedelta`` or strings as in
scenario files (``"240s"``, ``"4m"``, ``"1h30m"``). Errors are :class:`switchboard.Error`
subclasses (bad values: :class:`switchboard.InvalidArgumentError`, also a ``ValueError``) with
the C++ messages.

Example::

    from switchboard import erlang

    erlang.erlang_c("720/h", "240s", 55, threshold="15s")["service_level"]   # 0.8459
    erlang.staff("720/h", 240, target=0.8, shrinkage=0.3)["scheduled"]       # 78
    day = erlang.staff_intraday("examples/planning/intraday.csv", verify=True)
    erlang.intraday_frame(day)                                                # pandas

Each calculator call is cheap (microseconds to a millisecond), so theory curves are a loop over
agent counts: ``[erlang.erlang_c(rate, aht, n)["service_level"] for n in range(50, 70)]``.
"""

from __future__ import annotations

import datetime
import json
import math
import os
from collections.abc import Iterable, Mapping
from typing import Any, Optional, Union

from . import _core, plots

Rate = Union[str, float, int]
Duration = Union[str, float, int, datetime.timedelta]
PathLike = Union[str, "os.PathLike[str]"]

__all__ = [
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "intraday_frame",
    "plot_staffing",
    "staff",
    "staff_intraday",
]


def _rate_per_s(value: Rate, what: str = "arrivals") -> float:
    if isinstance(value, str):
        try:
            return _core.parse_arrival_rate(value)
        except _core.InvalidArgumentError as error:
            raise _core.InvalidArgumentError(f"{what}: {error}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what}: expected a rate like '720/h' or a number per hour, "
                        f"got {type(value).__name__}")
    return float(value) / 3600.0


def _seconds(value: Duration, what: str) -> float:
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, str):
        try:
            return _core.parse_seconds(value)
        except _core.InvalidArgumentError as error:
            raise _core.InvalidArgumentError(f"{what}: {error}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what}: expected seconds, a timedelta or a string like '4m', "
                        f"got {type(value).__name__}")
    return float(value)


def _numbers(value: Any) -> Any:
    """The JSON's "inf"/"nan" strings (JSON has no infinities) as floats, recursively."""
    if isinstance(value, dict):
        return {key: _numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_numbers(item) for item in value]
    if value in ("inf", "-inf", "nan"):
        return float(value)
    return value


def _load(text: str) -> dict[str, Any]:
    return _numbers(json.loads(text))


def erlang_b(arrivals: Rate, aht: Duration, agents: int) -> dict[str, Any]:
    """Erlang B: the share of contacts blocked when ``agents`` lines are busy and there is no
    queue (M/M/N/N). Keys: model, arrivals_per_h, aht_s, agents, load_erlangs, blocking."""
    return _load(_core.erlang_json("b", _rate_per_s(arrivals), _seconds(aht, "aht"), agents))


def erlang_c(arrivals: Rate, aht: Duration, agents: int,
             threshold: Duration = 20.0) -> dict[str, Any]:
    """Erlang C (M/M/N, nobody abandons). Keys: model, arrivals_per_h, aht_s, agents,
    threshold_s, load_erlangs, p_wait, asa_s, service_level (answered within ``threshold``),
    occupancy. With ``agents`` at or below the load the queue grows without bound: p_wait 1,
    asa_s ``inf``, service_level 0."""
    return _load(_core.erlang_json("c", _rate_per_s(arrivals), _seconds(aht, "aht"), agents,
                                   _seconds(threshold, "threshold")))


def erlang_a(arrivals: Rate, aht: Duration, agents: int, patience: Duration,
             threshold: Duration = 20.0) -> dict[str, Any]:
    """Erlang A (M/M/N+M: waiting customers abandon after an exponential patience of mean
    ``patience``). Keys as :func:`erlang_c` plus patience_s and abandon_rate; service_level
    counts abandonments as misses (the simulator's definition) and asa_s is the mean wait of the
    answered contacts."""
    return _load(_core.erlang_json("a", _rate_per_s(arrivals), _seconds(aht, "aht"), agents,
                                   _seconds(threshold, "threshold"),
                                   _seconds(patience, "patience")))


def _options(model: str, threshold: Duration, target: float, patience: Optional[Duration],
             max_occupancy: float, max_abandon: float, shrinkage: float) -> dict[str, Any]:
    return {
        "model": model,
        "threshold_s": _seconds(threshold, "threshold"),
        "target": float(target),
        "patience_s": 0.0 if patience is None else _seconds(patience, "patience"),
        "max_occupancy": float(max_occupancy),
        "max_abandon": float(max_abandon),
        "shrinkage": float(shrinkage),
    }


def staff(arrivals: Rate, aht: Duration, *, threshold: Duration = 20.0, target: float = 0.8,
          model: str = "c", patience: Optional[Duration] = None, max_occupancy: float = 1.0,
          max_abandon: float = 1.0, shrinkage: float = 0.0) -> dict[str, Any]:
    """The fewest agents whose service level within ``threshold`` is at least ``target``, whose
    occupancy is at most ``max_occupancy`` and (model ``"a"``, which needs ``patience``) whose
    abandon rate is at most ``max_abandon``; the KPIs at that count; and ``scheduled``, the head
    count after ``shrinkage``: ceil(agents / (1 - shrinkage)). Keys as ``switchboard staff``."""
    return _load(_core.staff_json(_rate_per_s(arrivals), _seconds(aht, "aht"),
                                  **_options(model, threshold, target, patience, max_occupancy,
                                             max_abandon, shrinkage)))


def _start_text(value: Any, row: int) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, datetime.timedelta):
        value = value.total_seconds()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        seconds = int(round(value))
        return f"{seconds // 3600:02}:{seconds // 60 % 60:02}:{seconds % 60:02}"
    raise TypeError(f"row {row}: start: expected 'HH:MM', a datetime.time or seconds since "
                    f"midnight, got {value!r}")


def _rows_csv(rows: Iterable[Any]) -> str:
    lines = ["start,arrivals,aht_s"]
    for index, row in enumerate(rows):
        if isinstance(row, Mapping):
            start, arrivals, aht = row["start"], row["arrivals"], row["aht_s"]
        else:
            start, arrivals, aht = row
        if isinstance(aht, datetime.timedelta):
            aht = aht.total_seconds()
        lines.append(f"{_start_text(start, index)},{arrivals},{aht}")
    return "\n".join(lines) + "\n"


def staff_intraday(forecast: Union[PathLike, Iterable[Any]], *,
                   interval: Optional[Duration] = None, threshold: Duration = 20.0,
                   target: float = 0.8, model: str = "c", patience: Optional[Duration] = None,
                   max_occupancy: float = 1.0, max_abandon: float = 1.0, shrinkage: float = 0.0,
                   verify: bool = False, replications: int = 20, seed: int = 1,
                   tolerance: float = 0.03, threads: int = 1) -> dict[str, Any]:
    """The requirement per interval of a day, as ``switchboard staff --intraday``.

    Args:
        forecast: the path of a CSV file (header ``start,arrivals,aht_s``; docs/planning.md), or
            rows: dicts with keys start, arrivals, aht_s, or (start, arrivals, aht_s) tuples,
            start as "HH:MM", a ``datetime.time`` or seconds since midnight. Rows are checked
            as the file's rows are; an error names "rows" and the line the row would have in
            a file (the first row is line 2).
        interval: the interval length (default: the difference of the first two starts).
        verify: also simulate the staffed day (``replications``, ``seed``, ``threads``) and
            report per interval the simulated KPIs (``simulated``) and whether theory and
            simulation disagree (beyond the 95 % half-width plus ``tolerance``).
        Other arguments as :func:`staff`.

    Returns:
        The dict of the command line's JSON: the options, ``interval_s``, ``intervals`` (one
        dict per interval) and the totals; :func:`intraday_frame` makes it a DataFrame.
    """
    if isinstance(forecast, (str, os.PathLike)):
        text, source = os.fspath(forecast), ""
    else:
        text, source = _rows_csv(forecast), "rows"
    interval_s = None if interval is None else _seconds(interval, "interval")
    return _load(_core.staff_intraday_json(
        text, source, interval_s,
        **_options(model, threshold, target, patience, max_occupancy, max_abandon, shrinkage),
        verify=verify, replications=replications, seed=seed, tolerance=tolerance,
        threads=threads))


def intraday_frame(result: Mapping[str, Any]) -> Any:
    """The intervals of :func:`staff_intraday` as a pandas DataFrame, one row per interval;
    verified results add ``sim_<kpi>`` and ``sim_<kpi>_ci95`` columns and ``disagrees``."""
    try:
        import pandas as pd
    except ImportError as error:
        raise ImportError(
            "switchboard.erlang.intraday_frame needs pandas, which is not installed "
            "(Debian/Ubuntu: apt-get install python3-pandas; elsewhere: pip install pandas)"
        ) from error
    rows = []
    for interval in result["intervals"]:
        row = {key: value for key, value in interval.items() if key != "simulated"}
        for kpi, metric in interval.get("simulated", {}).items():
            row[f"sim_{kpi}"] = metric["mean"]
            row[f"sim_{kpi}_ci95"] = metric["ci95"]
        rows.append(row)
    return pd.DataFrame(rows)


def plot_staffing(result: Mapping[str, Any], path: Optional[PathLike] = None, *,
                  title: Optional[str] = None) -> Any:
    """Required agents and scheduled head count per interval (and, when verified, service level
    in theory and simulation with 95 % bars and the target): the plot of
    ``switchboard staff --out`` (both draw with :func:`switchboard.plots.staffing`). Returns the
    ``matplotlib.figure.Figure``."""
    return plots.staffing(result, path, title=title)
