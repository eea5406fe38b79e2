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
                # Counts, times and shares cannot leave [0, 100 %]; the bands stop there.
                floor = -math.inf if metric == "ewt_bias_s" else 0.0
                ceiling = 100.0 if scale == 100.0 else math.inf
                low = [max(floor, m - h) for m, h in zip(mean, half)]
                high = [min(ceiling, m + h) for m, h in zip(mean, half)]
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


def _sweep_rows(data: Mapping[str, Any], queue: str) -> list[Mapping[str, Any]]:
    rows = [row for row in data["rows"] if row["queue"] == queue]
    if not rows:
        names = sorted({str(row["queue"]) for row in data["rows"]})
        raise ValueError(f"queue '{queue}': not in the sweep; expected one of {', '.join(names)}")
    return rows


def _sweep_target(data: Mapping[str, Any], queue: str, target: Optional[float]
                  ) -> Optional[float]:
    if target is not None:
        return float(target)
    value = data.get("targets", {}).get(queue)
    return None if value is None else float(value)


def _axis_label(data: Mapping[str, Any], key: str) -> str:
    """The sweep's label of a key (``labels``, e.g. "agents (senior)"), else the key."""
    return str(data.get("labels", {}).get(key, key))


def sweep_heatmap(
    data: Mapping[str, Any],
    path: Optional[PathLike] = None,
    *,
    metric: str = "service_level",
    queue: str = "overall",
    target: Optional[float] = None,
    title: Optional[str] = None,
) -> Any:
    """A sweep over two keys as a heat map of one KPI: the first key down, the second across,
    each cell annotated with its mean (in the KPI's units), the colour bar in the same units.
    For the service level, the target is a dashed line on the colour bar and the cells that meet
    it are outlined.

    Args:
        data: a sweep's data (``switchboard sweep --format json``, or
            ``switchboard.sweep.to_json_data(table)``): ``keys`` (two) and ``rows``.
        path: where to save the figure; None to only return it.
        metric: the KPI (a column of the table).
        queue: the queue's rows to draw, or ``"overall"``.
        target: the service-level target (a fraction); default the sweep's for that queue.
        title: the figure's title.

    Raises:
        ValueError: not two keys, an unknown queue or metric.
    """
    keys = list(data["keys"])
    if len(keys) != 2:
        raise ValueError(f"sweep_heatmap: expected two varied keys, the sweep has {len(keys)}")
    rows = _sweep_rows(data, queue)
    if metric not in rows[0]:
        raise ValueError(f"metric '{metric}': not a column of the sweep")
    label, scale = unit(metric)
    down: list[Any] = []
    across: list[Any] = []
    for row in rows:
        if row[keys[0]] not in down:
            down.append(row[keys[0]])
        if row[keys[1]] not in across:
            across.append(row[keys[1]])
    grid = [[math.nan] * len(across) for _ in down]
    for row in rows:
        grid[down.index(row[keys[0]])][across.index(row[keys[1]])] = (
            _number(row[metric]) * scale)
    goal = _sweep_target(data, queue, target) if metric == "service_level" else None

    figure = _figure((max(5.0, 1.0 + 0.75 * len(across)), max(3.5, 1.4 + 0.4 * len(down))))
    axes = figure.subplots()
    image = axes.imshow(grid, aspect="auto", cmap="viridis", origin="lower",
                        vmin=0 if scale == 100.0 else None, vmax=100 if scale == 100.0 else None)
    bar = figure.colorbar(image, ax=axes)
    bar.set_label(label)
    finite = [v for line in grid for v in line if not math.isnan(v)]
    decimals = 0 if scale == 100.0 or all(abs(v) >= 100 for v in finite) else 1
    for i, line in enumerate(grid):
        for j, value in enumerate(line):
            text = "-" if math.isnan(value) else f"{value:.{decimals}f}"
            dark = False
            if not math.isnan(value):  # white on a dark cell, black on a light one
                red, green, blue, _ = image.cmap(image.norm(value))
                dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
            axes.text(j, i, text, ha="center", va="center", fontsize="small",
                      color="white" if dark else "black")
    if goal is not None:
        from matplotlib.patches import Rectangle

        target_line(bar.ax, goal * 100, f"target {goal:.0%}")
        met = False
        for i, line in enumerate(grid):
            for j, value in enumerate(line):
                if not math.isnan(value) and value >= goal * 100:
                    axes.add_patch(Rectangle((j - 0.44, i - 0.42), 0.88, 0.84, fill=False,
                                             edgecolor="tab:red", linewidth=1.8,
                                             label=None if met else f"meets the {goal:.0%} target"))
                    met = True
        if met:
            axes.legend(loc="upper left", bbox_to_anchor=(0, -0.12), fontsize="small",
                        frameon=False)
    axes.set_xticks(range(len(across)), [str(v) for v in across])
    axes.set_yticks(range(len(down)), [str(v) for v in down])
    axes.set_xlabel(_axis_label(data, keys[1]))
    axes.set_ylabel(_axis_label(data, keys[0]))
    replications = data.get("replications")
    axes.set_title(title or f"{data.get('scenario') or 'sweep'}: {label}, {queue}, mean of "
                   f"{replications} replication(s)", fontsize="medium")
    return _save(figure, path)


def service_vs_agents(
    data: Mapping[str, Any],
    path: Optional[PathLike] = None,
    *,
    queue: str = "overall",
    curve: Optional[Sequence[Mapping[str, float]]] = None,
    target: Optional[float] = None,
    title: Optional[str] = None,
) -> Any:
    """Service level and average speed of answer against the one varied key of a sweep
    (agents): two panels of simulated means with 95 % confidence bars, over the theory curve
    when one is given (Erlang C or A), and the service-level target as a dashed line.

    Args:
        data: a sweep's data (``switchboard sweep --format json``) with one varied key.
        path: where to save the figure; None to only return it.
        queue: the queue's rows to draw, or ``"overall"``.
        curve: ``[{"agents": n, "service_level": fraction, "asa_s": seconds}]``, the theory,
            labelled with its points' ``model`` when they have one (e.g. "Erlang C").
        target: the service-level target (a fraction); default the sweep's for that queue.
        title: the figure's title.

    Raises:
        ValueError: not one key, an unknown queue, or a value of the key that is not a number.
    """
    keys = list(data["keys"])
    if len(keys) != 1:
        raise ValueError(f"service_vs_agents: expected one varied key, the sweep has {len(keys)}")
    key = keys[0]
    rows = _sweep_rows(data, queue)
    for row in rows:
        if isinstance(row[key], bool) or not isinstance(row[key], (int, float)):
            raise ValueError(f"key '{key}': expected numbers to plot against, found {row[key]!r}")
    rows = sorted(rows, key=lambda row: row[key])
    x = [row[key] for row in rows]
    goal = _sweep_target(data, queue, target)
    replications = data.get("replications")

    figure = _figure((8, 7))
    panels = figure.subplots(2, 1, sharex=True)
    for axes, metric in zip(panels, ("service_level", "asa_s")):
        label, scale = unit(metric)
        if curve:
            points = sorted(curve, key=lambda point: point["agents"])
            axes.plot([p["agents"] for p in points], [_number(p[metric]) * scale for p in points],
                      color="grey", linewidth=1.5,
                      label=f"theory ({points[0].get('model', 'Erlang')})")
        axes.errorbar(x, [_number(row[metric]) * scale for row in rows],
                      yerr=[_number(row.get(metric + "_ci95")) * scale for row in rows],
                      fmt="o", color="tab:blue", capsize=3, markersize=4,
                      label=f"simulated, 95 % confidence ({replications} replications)")
        if metric == "service_level":
            if goal is not None:
                target_line(axes, goal * 100, f"target {goal:.0%}")
            axes.set_ylim(0, 102)
        else:
            axes.set_ylim(bottom=0)
        axes.set_ylabel(label)
        axes.grid(True, alpha=0.3)
        axes.legend(loc="best", fontsize="small")
    panels[-1].set_xlabel(_axis_label(data, key))
    figure.suptitle(title or f"{data.get('scenario') or 'sweep'}: service level and speed of "
                    f"answer against {_axis_label(data, key)} ({queue})")
    return _save(figure, path)


def _clock_hours(start: str) -> float:
    parts = [int(p) for p in start.split(":")]
    return parts[0] + parts[1] / 60 + (parts[2] if len(parts) > 2 else 0) / 3600


def staffing(
    plan: Mapping[str, Any],
    path: Optional[PathLike] = None,
    *,
    title: Optional[str] = None,
) -> Any:
    """An intraday staffing plan: required agents and the scheduled head count per interval as
    steps over the time of day; when the plan was verified by simulation, a second panel with
    the service level per interval, the theory's as steps and the simulation's as points with
    95 % bars, and the target as a dashed line.

    Args:
        plan: the JSON of ``switchboard staff --intraday`` (``switchboard.erlang.staff_intraday``).
        path: where to save the figure; None to only return it.
        title: the figure's title (default: the model, threshold and target).

    Returns:
        The ``matplotlib.figure.Figure``.

    Raises:
        ImportError: matplotlib is not installed.
        ValueError: a plan without intervals.
    """
    rows = plan["intervals"]
    if not rows:
        raise ValueError("the plan has no intervals")
    starts = [_clock_hours(row["start"]) for row in rows]
    step = plan.get("interval_s", 1800.0) / 3600
    edges = starts + [starts[-1] + step]
    verified = all("simulated" in row for row in rows)
    figure = _figure((10, 7.5 if verified else 4.2))
    panels = figure.subplots(2 if verified else 1, 1, sharex=True, squeeze=False)[:, 0]

    axes = panels[0]
    required = [row["agents"] for row in rows]
    scheduled = [row["scheduled"] for row in rows]
    axes.step(edges, required + required[-1:], where="post", label="required agents",
              linewidth=2)
    if scheduled != required:
        axes.step(edges, scheduled + scheduled[-1:], where="post",
                  label=f"scheduled (shrinkage {plan.get('shrinkage', 0):.0%})", linestyle="--")
    axes.set_ylabel("agents")
    axes.set_ylim(bottom=0)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="best", fontsize="small")

    target = plan.get("target")
    if verified:
        axes = panels[1]
        label, scale = unit("service_level")
        theory = [_number(row["service_level"]) * scale for row in rows]
        axes.step(edges, theory + theory[-1:], where="post", label=f"Erlang {plan['model'].upper()}")
        middles = [s + step / 2 for s in starts]
        means = [_number(row["simulated"]["service_level"]["mean"]) * scale for row in rows]
        halves = [_number(row["simulated"]["service_level"]["ci95"]) * scale for row in rows]
        axes.errorbar(middles, means, yerr=halves, fmt="o", markersize=4, capsize=3,
                      label="simulation, 95 % interval")
        flagged = [(m, v) for m, v, row in zip(middles, means, rows) if row.get("disagrees")]
        if flagged:
            axes.plot([m for m, _ in flagged], [v for _, v in flagged], "x", color="black",
                      markersize=9, label="disagrees")
        if target is not None:
            target_line(axes, target * scale, f"target {target:.0%}")
        axes.set_ylabel(f"{label} within {plan.get('threshold_s', 20):g} s")
        axes.grid(True, alpha=0.3)
        axes.legend(loc="best", fontsize="small")
    panels[-1].set_xlabel("time of day (h)")
    figure.suptitle(title or (
        f"Staffing by Erlang {plan['model'].upper()}: {target:.0%} within "
        f"{plan.get('threshold_s', 20):g} s" if target is not None else "Staffing"))
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
    "sweep_heatmap": sweep_heatmap,
    "service_vs_agents": service_vs_agents,
    "staffing": staffing,
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
