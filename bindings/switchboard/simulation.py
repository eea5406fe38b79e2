"""Running scenarios and looking at the results.

:func:`simulate` accepts a :class:`~switchboard.Scenario`, a path to a TOML file or a dict
shaped like one, and returns the results contract of ``shared/SCENARIO.md`` as a dict (the same
data as ``switchboard simulate FILE --format json``, with ``None`` where the JSON has ``null``).
:func:`to_records` flattens it into rows, :func:`to_dataframe` makes those a pandas DataFrame
(pandas is optional), and :func:`plot_intervals` draws the interval report with matplotlib
(:mod:`switchboard.plots`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Optional, Union

from . import _core, plots

#: The KPIs of a queue, of ``overall`` and of an interval, in the order of the results: the
#: simulator's own list (``_core.KPI_NAMES``, C++ ``switchboard::KpiNames()``).
KPI_NAMES: tuple[str, ...] = _core.KPI_NAMES

ScenarioLike = Union[_core.Scenario, str, "os.PathLike[str]", Mapping[str, Any]]


def _as_scenario(scenario: ScenarioLike) -> _core.Scenario:
    if isinstance(scenario, _core.Scenario):
        return scenario
    if isinstance(scenario, Mapping):
        return _core.scenario_from_dict(dict(scenario))
    if isinstance(scenario, (str, os.PathLike)):
        return _core.load_scenario(os.fspath(scenario))
    raise TypeError(
        "scenario: expected a switchboard.Scenario, a path to a TOML file or a dict, got "
        f"{type(scenario).__name__}"
    )


def simulate(
    scenario: ScenarioLike,
    *,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    progress: Optional[Callable[[int, int], None]] = None,
    max_contacts: Optional[float] = None,
    max_contacts_per_replication: Optional[float] = None,
    max_agents: Optional[int] = None,
    max_replications: Optional[int] = None,
) -> dict[str, Any]:
    """Runs a scenario and returns its results as a dict.

    Args:
        scenario: a :class:`~switchboard.Scenario`, a path to a scenario file, or a dict shaped
            like one (see :func:`~switchboard.scenario_from_dict`).
        replications, seed: override the scenario's values (the scenario is not changed).
        threads: threads for the replications, 1..1024; None (default) uses one per hardware
            thread, as the command line does. The results do not depend on it.
        progress: ``progress(done, total)``, called after each replication.
        max_contacts, max_contacts_per_replication, max_agents, max_replications: bounds on
            the work of the run (defaults 200 million expected contacts over all replications,
            10 million in one replication, 100,000 agents, 100,000 replications); None keeps
            the default. A scenario beyond one is refused before any work; raise the bound to
            run it on purpose. Expected contacts are the arrival rates integrated over the
            warm-up and the duration.

    Returns:
        ``{"scenario", "seed", "replications", "queues": {name: kpis}, "overall": kpis,
        "agents": {"occupancy": metric}, "intervals": [...], "contacts_simulated"}``, where
        every metric is ``{"mean": x, "ci95": h}``.

    Raises:
        switchboard.InvalidArgumentError: the scenario is invalid, or beyond a bound, or
            ``threads`` is out of range (the message names the key or the bound).
        switchboard.NotFoundError: the scenario file does not exist.
        switchboard.ResourceExhaustedError: threads or memory ran out during the run.
        MemoryError: an allocation failed outside the replications.
    """
    return _core.simulate(
        _as_scenario(scenario),
        replications=replications,
        seed=seed,
        threads=threads,
        progress=progress,
        max_contacts=max_contacts,
        max_contacts_per_replication=max_contacts_per_replication,
        max_agents=max_agents,
        max_replications=max_replications,
    )


def _number(x: Optional[float]) -> float:
    return math.nan if x is None else float(x)


def _kpi_columns(kpis: Mapping[str, Any]) -> dict[str, float]:
    row: dict[str, float] = {}
    for name in KPI_NAMES:
        metric = kpis[name]
        row[name] = _number(metric["mean"])
        row[name + "_ci95"] = _number(metric["ci95"])
    return row


def to_records(results: Mapping[str, Any], *, intervals: bool = False) -> list[dict[str, Any]]:
    """Flattens results into rows: one per queue and one for ``"overall"``.

    Each row has ``queue``, then every KPI's mean under its name and its half-width under
    ``<name>_ci95`` (NaN where the results have None). With ``intervals=True``, one row per
    interval and queue (and ``"overall"``), led by ``start_s`` and ending with the interval's
    ``occupancy`` and ``occupancy_ci95``.
    """
    rows: list[dict[str, Any]] = []
    if not intervals:
        for name, kpis in results["queues"].items():
            rows.append({"queue": name, **_kpi_columns(kpis)})
        rows.append({"queue": "overall", **_kpi_columns(results["overall"])})
        return rows
    for interval in results["intervals"]:
        occupancy = {
            "occupancy": _number(interval["occupancy"]["mean"]),
            "occupancy_ci95": _number(interval["occupancy"]["ci95"]),
        }
        groups = list(interval["queues"].items()) + [("overall", interval["overall"])]
        for name, kpis in groups:
            rows.append(
                {"start_s": interval["start_s"], "queue": name, **_kpi_columns(kpis), **occupancy}
            )
    return rows


def to_dataframe(results: Mapping[str, Any], *, intervals: bool = False) -> Any:
    """The rows of :func:`to_records` as a pandas DataFrame.

    Raises:
        ImportError: pandas is not installed (it is optional; :func:`to_records` needs nothing).
    """
    try:
        import pandas as pd
    except ImportError as error:
        raise ImportError(
            "switchboard.to_dataframe needs pandas, which is not installed "
            "(Debian/Ubuntu: apt-get install python3-pandas; elsewhere: pip install pandas); "
            "switchboard.to_records gives the same rows as a list of dicts"
        ) from error
    return pd.DataFrame(to_records(results, intervals=intervals))


def plot_intervals(
    results: Mapping[str, Any],
    path: Union[str, "os.PathLike[str]", None] = None,
    *,
    metric: Union[str, Iterable[str]] = "service_level",
    queues: Optional[Iterable[str]] = None,
    title: Optional[str] = None,
    targets: Union[None, float, Mapping[str, float]] = None,
) -> Any:
    """Plots KPIs over the intervals: a panel per metric, a line per queue and one for all
    queues, with the 95 % confidence band when there are several replications, in the reader's
    units (percent, seconds), and the service-level target when ``targets`` gives it. The same
    plot as ``switchboard simulate --out`` (both draw with :func:`switchboard.plots.intervals`).

    Args:
        results: what :func:`simulate` returned.
        path: where to save the figure (the format follows the extension, e.g. ``.png``); None
            to only return it.
        metric: a KPI name (see ``KPI_NAMES``) or ``"occupancy"``, or several of them.
        queues: the queues to draw (default: all); ``"overall"`` is always drawn.
        title: the figure's title (default: the scenario, replications and seed).
        targets: the service-level target (a fraction), one for all queues or ``{queue: target}``.

    Returns:
        The ``matplotlib.figure.Figure`` (made without pyplot, so no window opens).

    Raises:
        ImportError: matplotlib is not installed.
        ValueError: unknown metric or queue, or results without intervals.
    """
    metrics = (metric,) if isinstance(metric, str) else tuple(metric)
    for name in metrics:
        if name not in KPI_NAMES and name != "occupancy":
            raise ValueError(
                f"metric '{name}': expected one of {', '.join(KPI_NAMES)} or occupancy"
            )
    return plots.intervals(results, path, metrics=metrics, queues=queues, title=title,
                           targets=targets)
