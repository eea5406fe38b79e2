"""Replaying a day's contact log through a scenario (trace-driven what-if).

:func:`replay` feeds the logged contacts (``switchboard simulate --contacts`` writes such a log)
through the scenario's queues, entry rules, agents and policies and returns the same data as
``switchboard replay --format json`` as a dict, plus the per-contact waits; :func:`fit_patience`
is the censored patience fit it uses; :func:`plot_replay` draws logged against replayed waits.
``docs/planning.md`` ("Replaying a day") describes the log format and the method.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, Optional, Union

from . import _core, plots
from .simulation import ScenarioLike, _as_scenario

PathLike = Union[str, "os.PathLike[str]"]
LogLike = Union[PathLike, Iterable[Mapping[str, Any]]]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Mapping):  # attributes
        return ";".join(f"{key}={_cell(v)}" for key, v in value.items())
    return str(value)


def _log_text(log: LogLike) -> tuple[str, str]:
    """The log as CSV text and the name its errors give it."""
    if isinstance(log, (str, os.PathLike)):
        path = os.fspath(log)
        with open(path, encoding="utf-8-sig", newline="") as file:  # a BOM is not text
            return file.read(), path
    rows = list(log)
    if not rows:
        raise ValueError("log: no rows; expected a path or a list of row dicts")
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue(), "<rows>"


def _number(text: str) -> Optional[float]:
    return float(text) if text != "" else None


def fit_patience(log: LogLike, method: str = "exponential") -> dict[str, Any]:
    """The customers' patience fitted to a log, with censoring (answered and other
    non-abandoned contacts would have waited at least their wait).

    Args:
        log: a path to a contact log (CSV) or a list of row dicts with its columns.
        method: ``"exponential"``: the maximum-likelihood exponential, mean = total wait of all
            contacts / abandonments; ``"kaplan_meier"``: the Kaplan-Meier survival of patience.

    Returns:
        ``{"method": "exponential_mle_censored" or "kaplan_meier", "mean_s" (None when nobody
        abandoned), "contacts", "abandoned", "total_wait_s"}``; Kaplan-Meier adds ``median_s``
        (None when the survival stays above 1/2) and ``survival``, ``[(time_s, S after it)]``
        at each abandonment time.

    Raises:
        switchboard.InvalidArgumentError: a malformed row (the message names the line and the
            column).
    """
    text, name = _log_text(log)
    return _core.fit_patience(text, name, method)


def replay(
    log: LogLike,
    scenario: ScenarioLike,
    *,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    patience: str = "exponential",
) -> dict[str, Any]:
    """Replays a contact log through a scenario's queues, agents and policies.

    Each logged contact arrives at its time with its handle time; abandoned ones give up after
    their logged wait, the others' patience is drawn beyond their logged wait from the fitted
    exponential (:func:`fit_patience`). The scenario's own arrivals are not used.

    Args:
        log: a path to a contact log (CSV) or a list of row dicts with its columns.
        scenario: a :class:`~switchboard.Scenario`, a path to a scenario file or a dict.
        replications: replays, differing in the censored patience draws and, with overflow
            offers or callbacks, in the customers' answers (default: the scenario's).
        seed: seed of those draws (default: the scenario's).
        threads: threads for the replications (default: one per hardware thread).
        patience: how the censored patience is drawn: ``"exponential"`` (the fitted mean beyond
            the logged wait) or ``"kaplan_meier"`` (the Kaplan-Meier survival conditional on
            exceeding the logged wait, with an exponential tail).

    Returns:
        The command line's JSON as a dict: ``scenario``, ``log``, ``patience``, ``agreement``,
        ``logged`` and ``replayed`` (each a results dict like :func:`~switchboard.simulate`'s),
        plus ``contacts`` (per log row: ``line``, ``customer``, ``arrival_s``, ``queue``,
        ``logged_outcome``, ``logged_wait_s``, ``replayed_outcome``, ``replayed_wait_s`` of the
        first replication), ``waits`` (``logged_wait_s`` and ``replayed_wait_s`` of the contacts
        answered in both, for :func:`plot_replay`) and ``threshold_s`` (the queues'
        service-level threshold, None when they differ).

    Raises:
        switchboard.InvalidArgumentError: a malformed row, or a scenario that cannot serve the
            log (a row naming a queue it lacks).
        FileNotFoundError: the log file does not exist.
    """
    text, name = _log_text(log)
    results_json, contacts_csv, threshold = _core.replay(
        text, name, _as_scenario(scenario), replications=replications, seed=seed,
        threads=threads, patience=patience)
    result: dict[str, Any] = json.loads(results_json)
    contacts = []
    for row in csv.DictReader(io.StringIO(contacts_csv)):
        contacts.append({
            "line": int(row["line"]),
            "customer": int(row["customer"]),
            "arrival_s": float(row["arrival_s"]),
            "queue": row["queue"],
            "logged_outcome": row["logged_outcome"],
            "logged_wait_s": float(row["logged_wait_s"]),
            "replayed_outcome": row["replayed_outcome"],
            "replayed_wait_s": _number(row["replayed_wait_s"]),
        })
    both = [c for c in contacts
            if c["logged_outcome"] == "answered" and c["replayed_outcome"] == "answered"]
    result["contacts"] = contacts
    result["waits"] = {
        "logged_wait_s": [c["logged_wait_s"] for c in both],
        "replayed_wait_s": [c["replayed_wait_s"] for c in both],
    }
    result["threshold_s"] = threshold
    return result


def plot_replay(result: Mapping[str, Any], path: Optional[PathLike] = None, *,
                title: Optional[str] = None) -> Any:
    """Logged against replayed waits of a :func:`replay` result (``plots.replay_waits``), with
    the service-level threshold marked; saved to ``path`` when given. Returns the Figure."""
    return plots.replay_waits(
        result["waits"], path, threshold_s=result.get("threshold_s"),
        title=title or f"{result.get('log', '')} replayed with {result.get('scenario', '')}")
