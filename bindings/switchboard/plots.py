"""Plots of Switchboard's results, drawn with matplotlib.

This module is the one implementation behind the Python functions (``switchboard.plot_intervals``
and the planning plots) and the command line's plots (``switchboard simulate --out``, ...). It
needs only the standard library and matplotlib, so that the command line can run it as a script
with an interpreter that cannot import switchboard's extension::

    python3 plots.py KIND INPUT.json OUTPUT.png [OPTIONS_JSON]

KIND is a key of :data:`KINDS`, INPUT.json the data the function takes first, OPTIONS_JSON a JSON
object of its keyword arguments. Exit status 3 when matplotlib cannot be imported, 2 for a bad
command line, 1 when the data cannot be drawn (the last line on stderr says why).

Every plot labels its axes in the reader's units (percent, seconds, contacts) rather than field
names, and marks its targets (the service-level target) where it is given one.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Callable, Optional, Union

PathLike = Union[str, "os.PathLike[str]"]

#: How each KPI reads on an axis: (label, factor from the results' value to the axis' value).
UNITS: dict[str, tuple[str, float]] = {
    "offered": ("offered (contacts)", 1.0),
    "answered": ("answered (contacts)", 1.0),
    "abandoned": ("abandoned (contacts)", 1.0),
    "service_level": ("service level (%)", 100.0),
    "p_wait": ("contacts that waited (%)", 100.0),
    "asa_s": ("average speed of answer (s)", 1.0),
    "abandon_rate": ("abandonment (%)", 100.0),
    "aht_s": ("average handle time (s)", 1.0),
    "mean_queue_length": ("contacts waiting (mean)", 1.0),
    "max_wait_s": ("longest wait (s)", 1.0),
    "ewt_error_s": ("estimated wait, mean absolute error (s)", 1.0),
    "ewt_bias_s": ("estimated wait, mean bias (s)", 1.0),
    "transferred": ("transferred (contacts)", 1.0),
    "callbacks": ("callbacks accepted (contacts)", 1.0),
    "callbacks_connected": ("callbacks connected (contacts)", 1.0),
    "callbacks_failed": ("callbacks failed (contacts)", 1.0),
    "deflected": ("deflected (contacts)", 1.0),
    "voicemail": ("sent to voicemail (contacts)", 1.0),
    "disconnected": ("disconnected by a rule (contacts)", 1.0),
    "overflowed": ("overflowed (contacts)", 1.0),
    "overflow_rate": ("overflow (%)", 100.0),
    "redials": ("redials (contacts)", 1.0),
    "first_attempts": ("first calls (contacts)", 1.0),
    "customers_served": ("customers served", 1.0),
    "occupancy": ("agent occupancy (%)", 100.0),
}


def unit(metric: str) -> tuple[str, float]:
    """The axis label and scale of a KPI (an unknown name reads as itself, unscaled)."""
    return UNITS.get(metric, (metric.replace("_", " "), 1.0))


def _figure(size: tuple[float, float]) -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError(
            "plotting needs matplotlib, which is not installed (Debian/Ubuntu: apt-get install "
            "python3-matplotlib; elsewhere: pip install matplotlib)"
        ) from error
    # A Figure without pyplot: no window, no global state, any thread.
    return Figure(figsize=size, layout="constrained")


def _number(x: Optional[float]) -> float:
    return math.nan if x is None else float(x)


def _save(figure: Any, path: Optional[PathLike]) -> Any:
    if path is not None:
        figure.savefig(os.fspath(path), dpi=120)
    return figure


def target_line(axes: Any, value: float, label: str, *, color: str = "tab:red",
                horizontal: bool = True) -> None:
    """Marks a target on an axis, as a dashed line with its value in the legend."""
    draw = axes.axhline if horizontal else axes.axvline
    draw(value, color=color, linestyle="--", linewidth=1.2, label=label)


def _targets_by_queue(targets: Union[None, float, Mapping[str, float]],
                      names: Sequence[str]) -> dict[str, float]:
    if targets is None:
        return {}
    if isinstance(targets, Mapping):
        return {name: float(value) for name, value in targets.items()}
    return {name: float(targets) for name in names}


def intervals(
    results: Mapping[str, Any],
    path: Optional[PathLike] = None,
    *,
    metrics: Sequence[str] = ("service_level", "mean_queue_length"),
    queues: Optional[Iterable[str]] = None,
    title: Optional[str] = None,
    targets: Union[None, float, Mapping[str, float]] = None,
    interval_s: Optional[float] = None,
    duration_s: Optional[float] = None,
) -> Any:
    """KPIs over the intervals of a simulation: one panel per metric, a step line per queue and a
    dashed black one for all queues, with 95 % confidence bands for the queues when there are
    several replications.

    Args:
        results: the results of a simulation (``switchboard.simulate``, or the JSON of
            ``switchboard simulate --format json``).
        path: where to save the figure (the format follows the extension); None to only return it.
        metrics: KPI names (see :data:`UNITS`), or ``"occupancy"`` for the agents' occupancy.
        queues: the queues to draw (default: all); the overall line is always drawn.
        title: the figure's title (default: the scenario, replications and seed).
        targets: the service-level target, one for every queue or ``{queue: target}`` (fractions,
            e.g. 0.8), drawn as dashed lines on the service-level panel.
        interval_s, duration_s: the interval length and the measured period, to close the last
            step exactly (default: the previous interval's length).

    Returns:
        The ``matplotlib.figure.Figure``.

    Raises:
        ImportError: matplotlib is not installed.
        ValueError: an unknown metric or queue, or results without intervals.
    """
    rows = results["intervals"]
    if not rows:
        raise ValueError("the results have no intervals")
    kpi_names = set(rows[0]["overall"])
    for metric in metrics:
        if metric != "occupancy" and metric not in kpi_names:
            raise ValueError(
                f"metric '{metric}': expected one of {', '.join(kpi_names)} or occupancy"
            )
    names = list(results["queues"]) if queues is None else list(queues)
    for name in names:
        if name not in results["queues"]:
            raise ValueError(
                f"queue '{name}': not in the results; expected one of "
                f"{', '.join(results['queues'])}"
            )
    starts = [row["start_s"] for row in rows]
    if interval_s is None:
        interval_s = starts[1] - starts[0] if len(starts) > 1 else 1800.0
    end = starts[-1] + interval_s
    if duration_s is not None:
        end = min(end, duration_s)
    edges = [s / 3600 for s in starts] + [end / 3600]
    several = results.get("replications", 1) > 1
    goal = _targets_by_queue(targets, names)

    figure = _figure((10, 3.2 * len(metrics) + 0.8))
    panels = figure.subplots(len(metrics), 1, sharex=True, squeeze=False)[:, 0]
    for axes, metric in zip(panels, metrics):
        label, scale = unit(metric)
        if metric == "occupancy":
            series = [("all agents", [row["occupancy"] for row in rows], True)]
        else:
            series = [(name, [row["queues"].get(name, {}).get(metric) for row in rows], False)
                      for name in names]
            series.append(("overall", [row["overall"][metric] for row in rows], True))
        for name, values, is_total in series:
            mean = [_number(m["mean"]) * scale if m else math.nan for m in values]
            half = [_number(m["ci95"]) * scale if m else math.nan for m in values]
            style = {"color": "black", "linestyle": "--", "linewidth": 2} if is_total else {}
            (line,) = axes.step(edges, mean + mean[-1:], where="post", label=name, **style)
            if several and not is_total:
                low = [m - h for m, h in zip(mean, half)]
                high = [m + h for m, h in zip(mean, half)]
                axes.fill_between(edges, low + low[-1:], high + high[-1:], step="post",
                                  color=line.get_color(), alpha=0.15, linewidth=0)
        if metric == "service_level" and goal:
            values = set(goal.values())
            if len(values) == 1:
                target_line(axes, values.pop() * 100, f"target {next(iter(goal.values())):.0%}")
            else:
                for name, value in goal.items():
                    target_line(axes, value * 100, f"{name} target {value:.0%}", color="grey")
        if scale == 100.0:
            axes.set_ylim(bottom=0)
        axes.set_ylabel(label)
        axes.grid(True, alpha=0.3)
        axes.legend(loc="best", fontsize="small")
    panels[-1].set_xlabel("hours after the warm-up")
    band = ", 95 % confidence bands" if several else ""
    figure.suptitle(title or f"{results.get('scenario', '')}: {results.get('replications', 1)} "
                    f"replication(s), seed {results.get('seed', '')}: means per interval{band}")
    return _save(figure, path)


def replay_waits(
    waits: Mapping[str, Sequence[float]],
    path: Optional[PathLike] = None,
    *,
    threshold_s: Optional[float] = None,
    title: Optional[str] = None,
) -> Any:
    """A replayed day's waits against the logged ones: one point per contact answered both in
    the log and in the replay, with the diagonal (a replay that reproduces the log puts every
    point on it) and the service-level threshold on both axes.

    Args:
        waits: ``{"logged_wait_s": [...], "replayed_wait_s": [...]}``, seconds, one entry per
            contact in the same order (``switchboard.replay(...)["waits"]``).
        path: where to save the figure; None to only return it.
        threshold_s: the service-level threshold, seconds, drawn as dashed lines.
        title: the figure's title.

    Returns:
        The ``matplotlib.figure.Figure``.

    Raises:
        ImportError: matplotlib is not installed.
        ValueError: the two lists differ in length.
    """
    logged = [float(x) for x in waits["logged_wait_s"]]
    replayed = [float(x) for x in waits["replayed_wait_s"]]
    if len(logged) != len(replayed):
        raise ValueError(
            f"{len(logged)} logged waits but {len(replayed)} replayed ones; expected one of each "
            "per contact"
        )
    figure = _figure((6.4, 6.0))
    axes = figure.subplots()
    axes.scatter(logged, replayed, s=8, alpha=0.5, linewidths=0,
                 label=f"contacts answered in both ({len(logged)})")
    top = max([1.0] + logged + replayed) * 1.05
    axes.plot([0, top], [0, top], color="black", linewidth=1, label="replayed = logged")
    if threshold_s is not None:
        target_line(axes, threshold_s, f"service-level threshold {threshold_s:g} s")
        target_line(axes, threshold_s, "_", horizontal=False)
    axes.set_xlim(0, top)
    axes.set_ylim(0, top)
    axes.set_xlabel("logged wait (s)")
    axes.set_ylabel("replayed wait (s)")
    axes.grid(True, alpha=0.3)
    axes.legend(loc="upper left", fontsize="small")
    axes.set_title(title or "waits: replayed against logged")
    return _save(figure, path)


#: The plots the command line can ask for: KIND -> function(data, path, **options).
KINDS: dict[str, Callable[..., Any]] = {
    "intervals": intervals,
    "replay_waits": replay_waits,
}


def main(argv: Sequence[str]) -> int:
    """``plots.py KIND INPUT.json OUTPUT.png [OPTIONS_JSON]``; returns the exit status."""
    if len(argv) not in (3, 4) or argv[0] not in KINDS:
        print(f"usage: plots.py {{{','.join(KINDS)}}} INPUT.json OUTPUT.png [OPTIONS_JSON]",
              file=sys.stderr)
        return 2
    try:
        import matplotlib  # noqa: F401  (only to tell a missing matplotlib apart)
    except ImportError:
        return 3
    with open(argv[1], encoding="utf-8") as file:
        data = json.load(file)
    options = json.loads(argv[3]) if len(argv) == 4 else {}
    KINDS[argv[0]](data, argv[2], **options)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
