"""Sweeps: a grid of scenario variants × replications, one table of KPIs.

:func:`sweep` varies keys of a scenario (``agents.0.count`` over ``30:45``, ``queue.0.strategy``
over ``longest_idle,most_skilled``, ...), runs every variant's replications as separate tasks on
threads of this process, on processes of this machine or on a Dask distributed cluster, and
returns one pandas DataFrame: a row per variant and queue (and ``overall``), the varied keys as
columns, then each KPI's mean and the half-width of its 95 % confidence interval.

Replication ``r`` of every variant runs with the seed :func:`replication_seed` ``(base, r)``,
which depends only on the base seed and ``r``: every variant sees the same customers (common
random numbers), and the same seed gives the same table wherever the tasks run.

The command line is :func:`main`: ``python3 -m switchboard sweep FILE.toml --set KEY=VALUES ...``
(also ``switchboard sweep`` from the executable, which runs this module).
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import math
import os
import re
import sys
import threading
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent import futures
from typing import Any, Optional, Union

from . import _core, erlang, plots

PathLike = Union[str, "os.PathLike[str]"]
GridSpec = Union[None, Mapping[str, Any], Iterable[str]]

#: The KPIs of the table, in the order of the simulator's results, then the agents' occupancy.
KPI_NAMES: tuple[str, ...] = tuple(_core.KPI_NAMES) + ("occupancy",)

_MASK64 = (1 << 64) - 1

# Keys a sweep cannot vary: every task runs one replication with a seed derived from the base
# seed, so the scenario's own values of these are the defaults of the arguments, not settings.
_ARGUMENT_KEYS = {
    "simulation.seed": "the seed of every variant is the base seed: give it with --seed "
                       "(Python: seed=)",
    "simulation.replications": "every variant runs the same replications: give their number "
                               "with --replications (Python: replications=)",
}


# ---------------------------------------------------------------------------------------------
# The grid


def parse_value(text: str) -> Union[bool, int, float, str]:
    """One value typed as TOML would read it: ``true``/``false``, an integer, a float, else the
    text itself (``"45s"``, ``"longest_idle"``)."""
    stripped = text.strip()
    if stripped == "true":
        return True
    if stripped == "false":
        return False
    if re.fullmatch(r"[+-]?\d+", stripped.replace("_", "")) and not stripped.startswith("_"):
        return int(stripped.replace("_", ""))
    if re.fullmatch(r"[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|nan)", stripped):
        return float(stripped)
    return stripped


_RANGE = re.compile(r"\s*([+-]?\d+)\s*:\s*([+-]?\d+)\s*(?::\s*([+-]?\d+)\s*)?")


def parse_values(key: str, text: str) -> list[Any]:
    """The values of one key from text: ``30:45`` (an inclusive integer range), ``30:45:5`` (with
    a step), ``a,b,c`` (a list) or one value; each typed by :func:`parse_value`. Text with a
    colon that is not three integers at most (``08:00-17:00``) is a value, not a range.

    Raises:
        ValueError: an empty value, or a range with ``START > STOP`` or ``STEP < 1`` (the
            message names the key).
    """
    match = _RANGE.fullmatch(text)
    if match is not None:
        start, stop = int(match.group(1)), int(match.group(2))
        step = int(match.group(3)) if match.group(3) is not None else 1
        if step < 1:
            raise ValueError(f"key '{key}': '{text}': expected a step of at least 1, got {step}")
        if stop < start:
            raise ValueError(
                f"key '{key}': '{text}': expected START <= STOP, got {start} > {stop}"
            )
        return list(range(start, stop + 1, step))
    parts = [part.strip() for part in text.split(",")]
    if any(part == "" for part in parts):
        raise ValueError(f"key '{key}': '{text}': expected a value, a list a,b,c or a range "
                         "START:STOP[:STEP], found an empty value")
    return [parse_value(part) for part in parts]


def parse_grid(spec: GridSpec) -> list[tuple[str, list[Any]]]:
    """The varied keys and their values, in order.

    ``spec`` is a dict ``{key: values}``, where values are a string (parsed by
    :func:`parse_values`), a list or range of values (taken as they are) or one value; or a list
    of ``"KEY=VALUES"`` strings. A key is a dot-separated path into the scenario, with numbers
    for the tables of an array (``agents.0.count``, ``traffic.0.arrivals.rate``).

    Raises:
        ValueError: a malformed key or value, a key given twice, no values, or
            ``simulation.seed`` or ``simulation.replications`` (the ``seed`` and
            ``replications`` arguments set those).
    """
    items: list[tuple[str, Any]] = []
    if spec is None:
        return []
    if isinstance(spec, Mapping):
        items = list(spec.items())
    elif isinstance(spec, (str, bytes)):
        raise ValueError(f"set: expected a dict or a list of KEY=VALUES strings, got {spec!r}")
    else:
        for entry in spec:
            if not isinstance(entry, str) or "=" not in entry:
                raise ValueError(f"set: '{entry}': expected KEY=VALUES, e.g. agents.0.count=30:45")
            key, _, values = entry.partition("=")
            items.append((key.strip(), values))
    grid: list[tuple[str, list[Any]]] = []
    seen: dict[str, bool] = {}
    for key, values in items:
        if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*", key):
            raise ValueError(
                f"key '{key}': expected a dot-separated path such as agents.0.count or "
                "queue.0.strategy"
            )
        if key in _ARGUMENT_KEYS:
            raise ValueError(f"key '{key}': a sweep cannot vary it; {_ARGUMENT_KEYS[key]}")
        if key in seen:
            raise ValueError(f"key '{key}': given twice; give all its values at once (a,b,c)")
        seen[key] = True
        if isinstance(values, str):
            parsed = parse_values(key, values)
        elif isinstance(values, (list, tuple, range)):
            parsed = list(values)
        else:
            parsed = [values]
        if not parsed:
            raise ValueError(f"key '{key}': expected at least one value")
        grid.append((key, parsed))
    return grid


def _describe(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return f"{type(value).__name__} {value!r}"


def set_key(scenario: dict[str, Any], key: str, value: Any) -> None:
    """Sets ``key`` (a dot-separated path, numbers indexing arrays of tables) in the scenario
    dict, creating missing tables on the way (the scenario's validation then says whether
    the key exists).

    Raises:
        ValueError: an index out of range or not a number, or a path through a value that is
            not a table (the message names the key and what was expected).
    """
    parts = key.split(".")
    node: Any = scenario
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        where = ".".join(parts[:depth]) or "the scenario"
        if isinstance(node, list):
            if not part.isdigit():
                raise ValueError(
                    f"key '{key}': {where} is an array of {len(node)} table(s); expected an "
                    f"index 0..{len(node) - 1} after it, found '{part}'"
                )
            index = int(part)
            if index >= len(node):
                top = parts[0]
                raise ValueError(
                    f"key '{key}': the scenario has {len(node)} [[{top}]] table(s); expected an "
                    f"index 0..{len(node) - 1}, found {index}"
                )
            if last:
                node[index] = value
            else:
                node = node[index]
            continue
        if not isinstance(node, dict):
            raise ValueError(
                f"key '{key}': {where} is {_describe(node)}, not a table; expected a key path "
                "into a table"
            )
        if last:
            if isinstance(node.get(part), list) and node[part] and isinstance(node[part][0], dict):
                raise ValueError(
                    f"key '{key}': an array of tables; expected an index and a key after it, "
                    f"e.g. {key}.0.count"
                )
            node[part] = value
        else:
            if part not in node:
                if depth == 0 and part in ("queue", "agents", "traffic", "route"):
                    raise ValueError(f"key '{key}': the scenario has no [[{part}]] table")
                node[part] = {}
            node = node[part]


def read_scenario(scenario: Union[PathLike, Mapping[str, Any]]) -> tuple[dict[str, Any], str]:
    """The scenario as a dict and its name (the file's base name, or ``<dict>``).

    Raises:
        switchboard.NotFoundError: the file does not exist.
        switchboard.InvalidArgumentError: the file is not valid TOML.
        TypeError: neither a path nor a dict.
    """
    if isinstance(scenario, Mapping):
        return copy.deepcopy(dict(scenario)), "<dict>"
    if isinstance(scenario, (str, os.PathLike)):
        path = os.fspath(scenario)
        try:
            with open(path, "rb") as file:
                return tomllib.load(file), os.path.basename(path)
        except FileNotFoundError:
            raise _core.NotFoundError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise _core.InvalidArgumentError(f"{path}: a directory, not a scenario file") from None
        except tomllib.TOMLDecodeError as error:
            raise _core.InvalidArgumentError(f"{path}: {error}") from None
    raise TypeError(
        "scenario: expected a path to a TOML file or a dict shaped like one, got "
        f"{type(scenario).__name__}"
    )


def variants(base: Mapping[str, Any], grid: Sequence[tuple[str, Sequence[Any]]]
             ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every combination of the grid's values, the first key varying slowest: a list of
    ``(values by key, the scenario dict with them set)``."""
    keys = [key for key, _ in grid]
    result = []
    for combination in itertools.product(*(values for _, values in grid)):
        variant = copy.deepcopy(dict(base))
        for key, value in zip(keys, combination):
            set_key(variant, key, value)
        result.append((dict(zip(keys, combination)), variant))
    return result


# ---------------------------------------------------------------------------------------------
# Seeds and tasks


def replication_seed(base: int, replication: int) -> int:
    """The seed of replication ``replication`` of every variant: SplitMix64 of the base seed
    advanced ``replication + 1`` steps, so it depends on nothing else (not the variant, the
    scheduler or the order the tasks run in)."""
    z = (base + (replication + 1) * 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


def run_replication(variant: dict[str, Any], name: str, seed: int) -> dict[str, Any]:
    """One task: one replication of a variant with ``seed``, on one thread. Returns the KPIs of
    each queue and of ``overall`` and the occupancy, as plain numbers (None where undefined).

    A module-level function so that processes and Dask workers import it by name.
    """
    results = _core.simulate(_core.scenario_from_dict(variant, name), replications=1, seed=seed,
                             threads=1)

    def means(kpis: Mapping[str, Any]) -> dict[str, Optional[float]]:
        return {kpi: kpis[kpi]["mean"] for kpi in _core.KPI_NAMES}

    return {
        "queues": {queue: means(kpis) for queue, kpis in results["queues"].items()},
        "overall": means(results["overall"]),
        "occupancy": results["agents"]["occupancy"]["mean"],
    }


_T975 = (0, 12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
         2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796,
         2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423)


def student_t975(df: int) -> float:
    """The 97.5 % quantile of Student's t with ``df`` degrees of freedom: the simulator's table
    (src/sim/confidence.cc) to 30, its Cornish-Fisher expansion beyond."""
    if df <= 30:
        return _T975[max(df, 1)]
    z = 1.959963984540054
    n = float(df)
    z3, z5, z7 = z ** 3, z ** 5, z ** 7
    return (z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n))


def summarize(values: Sequence[Optional[float]]) -> tuple[float, float]:
    """Mean and 95 % half-width (Student t) of the replications' values, as the simulator
    computes them; the half-width is 0 with one value; None counts as NaN."""
    numbers = [math.nan if v is None else float(v) for v in values]
    if not numbers:
        return math.nan, math.nan
    mean = sum(numbers) / len(numbers)
    if len(numbers) < 2:
        return mean, 0.0
    df = len(numbers) - 1
    sd = math.sqrt(sum((v - mean) ** 2 for v in numbers) / df)
    return mean, student_t975(df) * sd / math.sqrt(len(numbers))


# ---------------------------------------------------------------------------------------------
# Schedulers


class _Bar:
    """``[#####     ] 5/10 tasks`` on stderr, redrawn in place."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._width = 0

    def __call__(self, done: int, total: int) -> None:
        filled = 30 * done // max(total, 1)
        line = f"[{'#' * filled}{' ' * (30 - filled)}] {done}/{total} tasks"
        self._width = len(line)
        self._stream.write("\r" + line)
        self._stream.flush()

    def clear(self) -> None:
        if self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()


def _run_pool(executor: futures.Executor, tasks: Sequence[tuple[Any, ...]],
              report: Callable[[int], None]) -> list[dict[str, Any]]:
    results: list[Any] = [None] * len(tasks)
    pending = {executor.submit(run_replication, *task): i for i, task in enumerate(tasks)}
    try:
        for done, future in enumerate(futures.as_completed(pending), start=1):
            results[pending[future]] = future.result()
            report(done)
    except BaseException:
        for future in pending:
            future.cancel()
        raise
    return results


def _run_dask(client: Any, tasks: Sequence[tuple[Any, ...]],
              report: Callable[[int], None]) -> list[dict[str, Any]]:
    from distributed import as_completed

    results: list[Any] = [None] * len(tasks)
    submitted = [client.submit(run_replication, *task, pure=False) for task in tasks]
    index = {future.key: i for i, future in enumerate(submitted)}
    try:
        for done, future in enumerate(as_completed(submitted), start=1):
            results[index[future.key]] = future.result()
            report(done)
    except ModuleNotFoundError as error:
        client.cancel(submitted)
        raise RuntimeError(
            f"a Dask worker cannot import {error.name or 'switchboard'} ({error}): start the "
            "workers with PYTHONPATH naming the directory that holds the switchboard package"
        ) from error
    except BaseException:
        client.cancel(submitted)
        raise
    return results


def _execute(scheduler: Any, workers: Optional[int], tasks: Sequence[tuple[Any, ...]],
             report: Callable[[int], None]) -> list[dict[str, Any]]:
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ValueError(f"workers: expected an integer >= 1 or None, got {workers!r}")
    if scheduler == "local":
        # simulate releases the GIL: threads run replications in parallel.
        with futures.ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            return _run_pool(pool, tasks, report)
    if scheduler == "processes":
        with futures.ProcessPoolExecutor(max_workers=workers) as pool:
            return _run_pool(pool, tasks, report)
    if isinstance(scheduler, str) and scheduler.startswith("tcp://"):
        try:
            from distributed import Client
        except ImportError as error:
            raise ImportError(
                "scheduler 'tcp://...' needs Dask distributed, which is not installed "
                "(Debian/Ubuntu: apt-get install python3-distributed)"
            ) from error
        with Client(scheduler, timeout="30s") as client:
            return _run_dask(client, tasks, report)
    if not isinstance(scheduler, str):
        try:
            from distributed import Client as DaskClient
        except ImportError:
            DaskClient = None  # noqa: N806
        if DaskClient is not None and isinstance(scheduler, DaskClient):
            return _run_dask(scheduler, tasks, report)
    raise ValueError(
        f"scheduler: expected 'local', 'processes', 'tcp://HOST:PORT' or a distributed.Client, "
        f"got {scheduler!r}"
    )


# ---------------------------------------------------------------------------------------------
# The sweep


def _targets(base: Mapping[str, Any]) -> dict[str, float]:
    targets = {}
    for queue in base.get("queue", []):
        if isinstance(queue, Mapping) and isinstance(queue.get("name"), str):
            level = queue.get("service_level", {})
            target = level.get("target", 0.8) if isinstance(level, Mapping) else 0.8
            targets[queue["name"]] = float(target)
    if targets:
        values = set(targets.values())
        if len(values) == 1:
            targets["overall"] = values.pop()
    return targets


def _labels(base: Mapping[str, Any], keys: Sequence[str]) -> dict[str, str]:
    """Axis labels of agent counts ("agents", or "agents (GROUP)" with several groups) and
    arrival rates ("arrivals per 1h")."""
    groups = base.get("agents", [])
    streams = base.get("traffic", [])
    labels = {}
    for key in keys:
        rate = re.fullmatch(r"traffic\.(\d+)\.arrivals\.rate", key)
        if rate and isinstance(streams, list) and int(rate.group(1)) < len(streams):
            stream = streams[int(rate.group(1))]
            arrivals = stream.get("arrivals", {}) if isinstance(stream, Mapping) else {}
            per = arrivals.get("per", "1h") if isinstance(arrivals, Mapping) else "1h"
            labels[key] = (f"arrivals per {per}" if len(streams) == 1
                           else f"arrivals per {per} (stream {int(rate.group(1)) + 1})")
        match = re.fullmatch(r"agents\.(\d+)\.count", key)
        if match and isinstance(groups, list) and int(match.group(1)) < len(groups):
            group = groups[int(match.group(1))]
            name = group.get("name") if isinstance(group, Mapping) else None
            labels[key] = ("agents" if len(groups) == 1
                           else f"agents ({name or 'group ' + str(int(match.group(1)) + 1)})")
    return labels


def sweep(
    scenario: Union[PathLike, Mapping[str, Any]],
    set: GridSpec = None,  # noqa: A002  (the name of the command line's --set)
    *,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    scheduler: Any = "local",
    progress: Union[None, bool, Callable[[int, int], None]] = None,
    workers: Optional[int] = None,
) -> Any:
    """Runs a grid of scenario variants × replications and returns one table of KPIs.

    Args:
        scenario: a path to a TOML scenario file, or a dict shaped like one.
        set: the varied keys: ``{"agents.0.count": "30:45", "queue.0.strategy":
            ["longest_idle", "most_skilled"]}`` or ``["agents.0.count=30:45", ...]`` (see
            :func:`parse_grid`); None or empty runs the scenario as it is.
        replications: replications of every variant (default: the scenario's).
        seed: the base seed (default: the scenario's); replication ``r`` of every variant runs
            with :func:`replication_seed` ``(seed, r)``.
        scheduler: ``"local"`` (threads of this process), ``"processes"`` (a process pool),
            ``"tcp://HOST:PORT"`` (an existing Dask distributed scheduler, whose workers can
            import switchboard) or a ``distributed.Client``.
        progress: True for a progress bar on stderr counting tasks, or ``progress(done,
            total)`` called after each task.
        workers: threads or processes of ``local`` and ``processes`` (default: one per core).

    Returns:
        A pandas DataFrame: one row per variant and queue, then ``overall``; the varied keys as
        columns, ``queue``, then every KPI (``switchboard.KPI_NAMES`` and ``occupancy``, the
        agents' occupancy) as its mean and ``<kpi>_ci95``, the half-width of its 95 % confidence
        interval (Student t over the replications; 0 with one replication). ``table.attrs``
        holds ``keys``, ``seed``, ``replications``, ``scenario``, ``targets`` (the queues'
        service-level targets) and ``labels`` (axis labels of agent counts and arrival rates,
        for the plots).

    Raises:
        ValueError (switchboard.InvalidArgumentError for a variant the scenario loader
            refuses): a bad key, value or variant, named in the message; nothing has run.
        switchboard.NotFoundError: the scenario file does not exist.
    """
    try:
        import pandas as pd
    except ImportError as error:
        raise ImportError(
            "switchboard.sweep needs pandas, which is not installed (Debian/Ubuntu: apt-get "
            "install python3-pandas; elsewhere: pip install pandas)"
        ) from error

    spec = set
    base, name = read_scenario(scenario)
    grid = parse_grid(spec)

    # Every variant is checked before anything runs.
    points = variants(base, grid)
    for values, variant in points:
        try:
            _core.scenario_from_dict(variant, name).validate()
        except _core.Error as error:
            label = ", ".join(f"{key}={value}" for key, value in values.items())
            message = f"variant {label}: {error}" if label else str(error)
            raise type(error)(message) from None

    # The scenario's own values are valid now (the loader checked them).
    simulation = base.get("simulation", {})
    if replications is None:
        replications = simulation.get("replications", 1)
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise ValueError(f"replications: expected an integer >= 1, got {replications!r}")
    if seed is None:
        seed = simulation.get("seed", 1)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= _MASK64:
        raise ValueError(f"seed: expected an integer 0..2^64-1, got {seed!r}")

    seeds = [replication_seed(seed, r) for r in range(replications)]
    tasks = [(variant, name, s) for _, variant in points for s in seeds]
    total = len(tasks)
    bar = _Bar(sys.stderr) if progress is True else None
    callback = bar if bar is not None else (progress if callable(progress) else None)

    lock = threading.Lock()

    def report(done: int) -> None:
        if callback is not None:
            with lock:
                callback(done, total)

    try:
        outcomes = _execute(scheduler, workers, tasks, report)
    finally:
        if bar is not None:
            bar.clear()

    rows = []
    keys = [key for key, _ in grid]
    for v, (values, _) in enumerate(points):
        runs = outcomes[v * replications:(v + 1) * replications]
        queues = list(runs[0]["queues"]) + ["overall"]
        for queue in queues:
            row: dict[str, Any] = dict(values)
            row["queue"] = queue
            for kpi in KPI_NAMES:
                if kpi == "occupancy":
                    samples = [run["occupancy"] for run in runs]
                elif queue == "overall":
                    samples = [run["overall"][kpi] for run in runs]
                else:
                    samples = [run["queues"][queue][kpi] for run in runs]
                row[kpi], row[kpi + "_ci95"] = summarize(samples)
            rows.append(row)
    table = pd.DataFrame(rows)
    table.attrs.update({"scenario": name, "seed": seed, "replications": replications,
                        "keys": keys, "targets": _targets(base),
                        "labels": _labels(base, keys)})
    return table


# ---------------------------------------------------------------------------------------------
# Output and plots


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return value


def to_json_data(table: Any) -> dict[str, Any]:
    """The table as plain data (what ``sweep --format json`` prints and the plots take):
    ``{"scenario", "seed", "replications", "keys", "targets", "labels", "rows": [{column:
    value}]}``, NaN as None (``labels``: axis labels of some keys)."""
    attrs = getattr(table, "attrs", {})
    columns = list(table.columns)
    keys = list(attrs.get("keys", columns[:columns.index("queue")]))
    rows = [{column: _plain(value) for column, value in zip(columns, record)}
            for record in table.itertuples(index=False, name=None)]
    return {"scenario": attrs.get("scenario"), "seed": attrs.get("seed"),
            "replications": attrs.get("replications"), "keys": keys,
            "targets": dict(attrs.get("targets", {})), "labels": dict(attrs.get("labels", {})),
            "rows": rows}


def _seconds(value: Any) -> Optional[float]:
    """A scenario duration in seconds ("3m", "1h30m", 90), or None when it is not one."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"(?:(\d+(?:\.\d*)?)h)?(?:(\d+(?:\.\d*)?)m(?!s))?(?:(\d+(?:\.\d*)?)s)?"
                         r"(?:(\d+(?:\.\d*)?)ms)?", value.strip())
    if match is None or not any(match.groups()):
        return None
    h, m, s, ms = (float(g) if g else 0.0 for g in match.groups())
    return h * 3600 + m * 60 + s + ms / 1000


def theory_curve(base: Mapping[str, Any], key: str, agents: Sequence[Any]
                 ) -> Optional[list[dict[str, float]]]:
    """The Erlang curve of a one-queue scenario with exponential handle times over the agent
    counts: Erlang C without patience, Erlang A with exponential patience
    (:mod:`switchboard.erlang`). None when the scenario is not such a queue (more queues, groups
    or streams, other distributions, wrap-up, piecewise arrivals, several contacts at once).
    Each point is ``{"agents", "service_level", "asa_s", "model"}`` ("Erlang C" or "Erlang A")."""
    queues, groups, streams = base.get("queue", []), base.get("agents", []), base.get("traffic", [])
    if len(queues) != 1 or len(groups) != 1 or len(streams) != 1 or key != "agents.0.count":
        return None
    if base.get("route") or queues[0].get("overflow") or queues[0].get("step"):
        return None
    if any(k in queues[0] for k in ("hours", "reserve", "max_length")):
        return None
    group, stream = groups[0], streams[0]
    if group.get("capacity", {"voice": 1}) not in ({"voice": 1},) or group.get("breaks"):
        return None
    if group.get("shift") or stream.get("redial") or _seconds(stream.get("wrap_up", 0)) != 0:
        return None
    if stream.get("channel", "voice") != "voice":
        return None
    arrivals, handle = stream.get("arrivals", {}), stream.get("handle", {})
    if "rate" not in arrivals or handle.get("dist") != "exponential":
        return None
    per = _seconds(arrivals.get("per", "1h"))
    aht = _seconds(handle.get("mean"))
    level = queues[0].get("service_level", {})
    threshold = _seconds(level.get("threshold", "20s"))
    if per is None or aht is None or threshold is None:
        return None
    per_hour = float(arrivals["rate"]) * 3600.0 / per  # switchboard.erlang's unit
    patience = stream.get("patience")
    if patience is not None and patience.get("dist", "none") == "none":
        patience = None
    if patience is not None and patience.get("dist") != "exponential":
        return None
    patience_s = _seconds(patience.get("mean")) if patience is not None else None
    curve = []
    for n in agents:
        # Arrivals in contacts per hour, durations in seconds.
        if patience_s is None:
            if n * 1.0 <= per_hour / 3600.0 * aht:
                continue  # Erlang C has no steady state at or beyond 100 % load
            point = erlang.erlang_c(per_hour, aht, int(n), threshold=threshold)
        else:
            point = erlang.erlang_a(per_hour, aht, int(n), patience=patience_s,
                                    threshold=threshold)
        curve.append({"agents": float(n), "service_level": float(point["service_level"]),
                      "asa_s": float(point["asa_s"]),
                      "model": "Erlang C" if patience_s is None else "Erlang A"})
    return curve


def plot_sweep(
    table: Any,
    path: Optional[PathLike] = None,
    *,
    metric: str = "service_level",
    queue: str = "overall",
    curve: Optional[Sequence[Mapping[str, float]]] = None,
    target: Optional[float] = None,
    title: Optional[str] = None,
) -> Any:
    """Plots a sweep's table (:func:`sweep`'s DataFrame, or its JSON data): with two varied
    keys, a heat map of ``metric`` over them (:func:`switchboard.plots.sweep_heatmap`); with one,
    service level and ASA against it with 95 % confidence bars, over the theory ``curve``
    (``[{"agents", "service_level", "asa_s"}]``) when given
    (:func:`switchboard.plots.service_vs_agents`). ``target`` (a fraction) defaults to the
    queue's service-level target.

    Returns:
        The ``matplotlib.figure.Figure``.

    Raises:
        ValueError: no, or more than two, varied keys; an unknown queue or metric.
    """
    data = table if isinstance(table, Mapping) else to_json_data(table)
    keys = data["keys"]
    if len(keys) == 2:
        return plots.sweep_heatmap(data, path, metric=metric, queue=queue, target=target,
                                   title=title)
    if len(keys) == 1:
        return plots.service_vs_agents(data, path, queue=queue, curve=curve, target=target,
                                       title=title)
    raise ValueError(f"plot_sweep: expected one or two varied keys, the table has {len(keys)}")


# ---------------------------------------------------------------------------------------------
# The command line


class _ArgumentError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit status 2 (see main)
        raise _ArgumentError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="switchboard sweep",
        description="Simulate a grid of scenario variants x replications and print one table: "
                    "a row per variant and queue, each KPI's mean and 95 %% half-width.")
    parser.add_argument("file", help="scenario file (TOML)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUES",
                        help="a varied key: KEY=START:STOP[:STEP] (integers, inclusive) or "
                             "KEY=a,b,c; repeat for a grid")
    parser.add_argument("--replications", type=int, help="replications of every variant "
                        "(default: the scenario's)")
    parser.add_argument("--seed", type=int, help="base seed (default: the scenario's)")
    parser.add_argument("--scheduler", default="local",
                        help="local (threads), processes, or tcp://HOST:PORT (a Dask cluster)")
    parser.add_argument("--workers", type=int, help="threads or processes (default: one per core)")
    parser.add_argument("--format", choices=("csv", "json"), default="csv",
                        help="output format (default: csv)")
    parser.add_argument("--out", metavar="DIR",
                        help="also write DIR/sweep.csv, DIR/sweep.json and the plots")
    parser.add_argument("--progress", action="store_true",
                        help="a progress bar on stderr counting tasks (default: when stderr is "
                             "a terminal)")
    return parser


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def _write_outputs(table: Any, base: Mapping[str, Any], out_dir: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    data = to_json_data(table)
    csv_path = os.path.join(out_dir, "sweep.csv")
    table.to_csv(csv_path, index=False)
    print(f"wrote {csv_path}", file=sys.stderr)
    json_path = os.path.join(out_dir, "sweep.json")
    with open(json_path, "w", encoding="utf-8") as file:
        json.dump(data, file, indent=1)
        file.write("\n")
    print(f"wrote {json_path}", file=sys.stderr)
    keys = data["keys"]
    png = None
    try:
        if len(keys) == 2:
            png = os.path.join(out_dir, "sweep_heatmap.png")
            plots.sweep_heatmap(data, png)
        elif len(keys) == 1 and re.fullmatch(r"agents\.\d+\.count", keys[0]):
            png = os.path.join(out_dir, "service_vs_agents.png")
            values = [row[keys[0]] for row in data["rows"] if row["queue"] == "overall"]
            curve = theory_curve(base, keys[0], values)
            plots.service_vs_agents(data, png, curve=curve)
    except Exception as error:  # noqa: BLE001  (as the C++ commands: the table stands, status 0)
        if png is not None:
            try:
                os.remove(png)  # no half-drawn or stale plot beside the new table
            except OSError:
                pass
        missing = isinstance(error, ImportError) and (error.name or "").startswith("matplotlib")
        why = "matplotlib not available" if missing else _first_line(error)
        print(f"plot skipped: {why}", file=sys.stderr)
    else:
        if png is not None:
            print(f"wrote {png}", file=sys.stderr)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``switchboard sweep FILE.toml --set KEY=VALUES ... [--replications N] [--seed S]
    [--scheduler local|processes|tcp://HOST:PORT] [--workers N] [--format csv|json]
    [--out DIR] [--progress]``; returns the exit status: 0, 2 for a bad command line, scenario,
    key or value (one line on stderr), 1 for any other failure."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(args_list)
    except _ArgumentError as error:
        print(f"switchboard sweep: {error}", file=sys.stderr)
        return 2
    except SystemExit as done:  # --help
        return int(done.code or 0)
    try:
        base, _ = read_scenario(args.file)
        table = sweep(args.file, args.set, replications=args.replications, seed=args.seed,
                      scheduler=args.scheduler, workers=args.workers,
                      progress=True if args.progress or sys.stderr.isatty() else None)
    except (ValueError, _core.InvalidArgumentError, _core.NotFoundError) as error:
        print(f"switchboard sweep: {_first_line(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("switchboard sweep: interrupted", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001  (any other failure: one line, status 1)
        print(f"switchboard sweep: {_first_line(error)}", file=sys.stderr)
        return 1
    try:
        if args.format == "json":
            json.dump(to_json_data(table), sys.stdout, indent=1)
            sys.stdout.write("\n")
        else:
            table.to_csv(sys.stdout, index=False)
        sys.stdout.flush()
        if args.out:
            _write_outputs(table, base, args.out)
    except OSError as error:
        print(f"switchboard sweep: {_first_line(error)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
