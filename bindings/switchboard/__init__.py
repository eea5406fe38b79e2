"""Switchboard: an ACD routing engine and a contact-center simulator, from Python.

Two things live here:

* :class:`Engine`, the routing engine a host drives with commands (``add_queue``,
  ``add_agent``, ``login``, ``add_contact``, ``accept``, ...). Times are float Unix seconds
  (``time.time()``) or aware ``datetime.datetime`` objects (a naive one is refused), durations
  float seconds or ``datetime.timedelta``. Events (:class:`Event`, whose ``type`` is an
  :class:`EventType`), statistics (:class:`QueueStats`, :class:`AgentStats`), contacts
  (:class:`ContactInfo`) and explanations (:class:`Explanation`) are typed records that also
  read as mappings of the same keys (``event["type"]``, ``dict(event)``, ``event.to_dict()``);
  the times and durations they hold are floats. ``queue_stats_frame()`` and
  ``agent_stats_frame()`` give the statistics as pandas DataFrames (pandas is optional).
* The simulator: :func:`load_scenario` / :func:`scenario_from_dict` and :func:`simulate`, which
  returns the results of ``shared/SCENARIO.md`` as a dict; :func:`to_dataframe` (with pandas)
  and :func:`plot_intervals` (with matplotlib) for analysis.
* Sweeps: :func:`sweep` runs a grid of scenario variants × replications on threads, processes
  or a Dask cluster and returns one pandas DataFrame; :func:`plot_sweep` draws it.
* Planning: :mod:`switchboard.erlang` (Erlang B, C and A, staffing for a period or per interval
  of a day, checked by simulation) and :func:`plot_staffing`.

Every error is a :class:`switchboard.Error` whose message is the engine's (or the scenario
loader's); :class:`InvalidArgumentError` is also a ``ValueError`` and :class:`NotFoundError` a
``KeyError``; :class:`ResourceExhaustedError` reports a bound reached (the engine's event buffer,
a simulation's threads or memory). A failed allocation in C++ is a ``MemoryError``. An object
used before its ``__init__`` ran (``Engine.__new__(Engine)``) raises ``TypeError``.

Example::

    import switchboard

    engine = switchboard.Engine()
    t = 1_700_000_000.0
    engine.add_queue(t, "support", requirement="support >= 1")
    engine.add_agent(t, "a1", skills={"support": 5})
    engine.login(t, "a1", ready=True)
    engine.add_contact(t, "c1", "support")
    offered = [e for e in engine.drain_events() if e.type is switchboard.EventType.contact_offered]
    engine.accept(t + 3, "a1", "c1")

    results = switchboard.simulate("examples/scenarios/support.toml", replications=2)
    print(results["overall"]["service_level"])   # {'mean': ..., 'ci95': ...}

The command line is also here: ``python3 -m switchboard simulate FILE.toml --format json``.
"""

from ._core import (
    AgentStats,
    AgentVerdict,
    AlreadyExistsError,
    ContactInfo,
    Engine,
    Error,
    Event,
    EventType,
    Explanation,
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    OutOfRangeError,
    QueueStats,
    ResourceExhaustedError,
    Scenario,
    __version__,
    load_scenario,
    parse_scenario,
    scenario_from_dict,
)
from . import erlang
from .erlang import plot_staffing
from .replay import fit_patience, plot_replay, replay
from .simulation import KPI_NAMES, plot_intervals, simulate, to_dataframe, to_records
from .sweep import plot_sweep, sweep

__all__ = [
    "KPI_NAMES",
    "AgentStats",
    "AgentVerdict",
    "AlreadyExistsError",
    "ContactInfo",
    "Engine",
    "Error",
    "Event",
    "EventType",
    "Explanation",
    "FailedPreconditionError",
    "InvalidArgumentError",
    "NotFoundError",
    "OutOfRangeError",
    "QueueStats",
    "ResourceExhaustedError",
    "Scenario",
    "__version__",
    "erlang",
    "fit_patience",
    "load_scenario",
    "parse_scenario",
    "plot_intervals",
    "plot_replay",
    "plot_staffing",
    "plot_sweep",
    "replay",
    "scenario_from_dict",
    "simulate",
    "sweep",
    "to_dataframe",
    "to_records",
]
