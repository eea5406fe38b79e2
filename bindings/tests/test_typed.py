"""The Pythonic, typed API: datetime and timedelta wherever times and durations are taken,
switchboard.EventType and typed event and listing records that still read as dicts, and the
statistics as pandas DataFrames."""
import copy
import datetime as dt
import json
from collections.abc import Mapping

import pytest

import switchboard
from stubs import stub_enum_members, stub_tree

T0 = 1_700_000_000.0
UTC = dt.timezone.utc
AT0 = dt.datetime.fromtimestamp(T0, UTC)


def session(now, later, duration):
    """One small session driven with `now(seconds)` times and `duration(seconds)` durations;
    returns its events as plain dicts and the queue's statistics as a dict."""
    engine = switchboard.Engine(offer_timeout=duration(20), rona_cooldown=duration(30))
    engine.add_queue(now(0), "q", service_level_threshold=duration(10), max_hold=duration(60),
                     wrap_up={"mode": "timed_with_extension", "duration": duration(5),
                              "max_extension": duration(30)},
                     steps=[{"after": duration(15), "requirement": ""}],
                     overflow=[{"when": "wait", "wait": duration(300), "action": "voicemail"}])
    engine.add_agent(now(0), "a1", queues=[{"queue": "q", "delay": duration(0)}])
    engine.login(now(1), "a1", ready=True)
    engine.add_contact(now(2), "c1", "q", arrival=now(1.5), preferred_agent="a1",
                       preferred_timeout=duration(5))
    engine.accept(now(3), "a1", "c1")
    engine.complete(now(10), "a1", "c1")
    engine.extend_wrap_up(now(11), "a1", "c1", duration(2.5))
    engine.advance_to(later(100))
    return [e.to_dict() for e in engine.drain_events()], engine.queue_stats("q").to_dict()


def test_datetime_and_timedelta_give_the_same_session_as_floats():
    floats = session(lambda s: T0 + s, lambda s: T0 + s, lambda s: s)
    typed = session(lambda s: AT0 + dt.timedelta(seconds=s),
                    lambda s: (AT0 + dt.timedelta(seconds=s)).astimezone(
                        dt.timezone(dt.timedelta(hours=-5))),  # any zone: the same instant
                    lambda s: dt.timedelta(seconds=s))
    assert typed == floats
    assert any(e["type"] == "wrap_up_extended" for e in floats[0])


def test_engine_options_accept_timedeltas_and_report_seconds():
    engine = switchboard.Engine(offer_timeout=dt.timedelta(minutes=1, microseconds=5),
                                ewt_initial_interval=dt.timedelta(seconds=45))
    assert engine.options["offer_timeout"] == 60.000005
    assert engine.options["ewt_initial_interval"] == 45.0


def test_a_datetime_is_exact_to_the_microsecond():
    engine = switchboard.Engine()
    at = dt.datetime(2026, 3, 1, 8, 30, 0, 123456, tzinfo=UTC)
    engine.add_queue(at, "q")
    assert engine.now == at.timestamp()
    (added,) = engine.drain_events()
    assert dt.datetime.fromtimestamp(added.time, UTC) == at


def test_a_naive_datetime_is_refused_naming_the_argument():
    engine = switchboard.Engine()
    naive = dt.datetime(2026, 3, 1, 8, 30)
    with pytest.raises(switchboard.InvalidArgumentError,
                       match=r"^now: a naive datetime.datetime is ambiguous; give it a tzinfo"):
        engine.add_queue(naive, "q")
    engine.add_queue(T0, "q")
    with pytest.raises(switchboard.InvalidArgumentError, match=r"^arrival: a naive datetime"):
        engine.add_contact(T0, "c1", "q", arrival=naive)
    assert engine.queues() == ["q"] and engine.queue_stats("q")["offered"] == 0


def test_wrong_types_and_ranges_name_the_argument():
    engine = switchboard.Engine()
    with pytest.raises(switchboard.InvalidArgumentError,
                       match=r"^now: expected Unix seconds \(a number\) or an aware "
                             r"datetime.datetime, got date$"):
        engine.add_queue(dt.date(2026, 3, 1), "q")
    with pytest.raises(switchboard.InvalidArgumentError,
                       match=r"^max_hold: expected seconds \(a number\) or a datetime.timedelta, "
                             r"got str$"):
        engine.add_queue(T0, "q", max_hold="60")
    with pytest.raises(switchboard.InvalidArgumentError, match=r"^offer_timeout: the timedelta"):
        switchboard.Engine(offer_timeout=dt.timedelta.max)
    with pytest.raises(switchboard.InvalidArgumentError, match=r"^offer_timeout"):
        switchboard.Engine(offer_timeout=dt.timedelta(0))  # the engine's own range check


def test_scenario_durations_accept_a_timedelta():
    scenario = switchboard.scenario_from_dict({
        "simulation": {"duration": "1h", "replications": 1},
        "queue": [{"name": "q"}],
        "traffic": [{"queue": "q", "arrivals": {"rate": 10, "per": "1h"},
                     "handle": {"dist": "exponential", "mean": "3m"}}],
        "agents": [{"count": 1, "skills": {}}],
    })
    scenario.duration = dt.timedelta(hours=2)
    scenario.warmup = dt.timedelta(minutes=5)
    assert (scenario.duration, scenario.warmup) == (7200.0, 300.0)


def make_engine():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    engine.add_agent(T0, "a1")
    engine.login(T0, "a1", ready=True)
    engine.add_contact(T0 + 1, "c1", "q", attributes={"tier": "gold"})
    return engine


def test_event_types_are_an_enum_whose_typos_fail_loudly():
    assert switchboard.EventType.contact_offered == "contact_offered"
    assert isinstance(switchboard.EventType.contact_offered, str)
    assert switchboard.EventType("queue_added") is switchboard.EventType.queue_added
    with pytest.raises(AttributeError):
        switchboard.EventType.contact_ofered
    with pytest.raises(ValueError):
        switchboard.EventType("contact_ofered")
    names = [member.value for member in switchboard.EventType]
    assert [member.name for member in switchboard.EventType] == names
    assert tuple(names) == stub_enum_members("EventType")
    for node in stub_tree().body:  # the stubs' Literal of the same names
        if getattr(node, "targets", [None])[0] is not None and \
                getattr(node.targets[0], "id", None) == "EventTypeName":
            assert tuple(e.value for e in node.value.slice.elts) == tuple(names)


def test_events_have_typed_attributes():
    events = make_engine().drain_events()
    assert all(isinstance(e, switchboard.Event) for e in events)
    offered = next(e for e in events if e.type is switchboard.EventType.contact_offered)
    assert type(offered.sequence) is int and offered.sequence == offered["sequence"]
    assert type(offered.time) is float and offered.time == T0 + 1
    assert type(offered.type) is switchboard.EventType
    assert (offered.actor, offered.cause) == ("host", "routing")
    assert (offered.contact, offered.agent, offered.queue) == ("c1", "a1", "q")
    assert offered.channel == "voice" and offered.deadline == T0 + 1 + 15
    assert offered.wait_s == 0.0 and offered.ewt_s is None
    assert offered.from_state is None and offered.to_state is None
    assert offered.reason is None and offered.target is None and offered.outcome is None
    changed = next(e for e in events if e.type == "agent_state_changed")
    assert (changed.from_state, changed.to_state) == ("logged_out", "available")
    with pytest.raises(AttributeError):
        offered.tpye
    with pytest.raises(AttributeError):
        offered.type = "x"  # read-only


def test_events_still_read_as_dicts():
    events = make_engine().drain_events()
    offered = next(e for e in events if e["type"] == "contact_offered")
    assert isinstance(offered, Mapping)
    assert offered["agent"] == "a1" and offered.get("agent") == "a1"
    assert offered.get("nope") is None and offered.get("nope", 3) == 3
    with pytest.raises(KeyError):
        offered["tpye"]
    assert "type" in offered and "tpye" not in offered and 1 not in offered
    assert list(offered) == offered.keys() and len(offered) == 17
    assert [v for _, v in offered.items()] == offered.values()
    plain = offered.to_dict()
    assert type(plain) is dict and type(plain["type"]) is str
    assert dict(offered) == plain and offered == plain and plain == offered
    assert offered != {**plain, "agent": "a2"} and offered != 3
    assert json.loads(json.dumps(plain))["type"] == "contact_offered"
    assert copy.copy(offered) == offered and copy.deepcopy(offered) == offered
    with pytest.raises(TypeError):
        hash(offered)
    assert repr(offered).startswith("switchboard.Event(sequence=")


def test_listings_are_typed_records_that_read_as_dicts():
    engine = make_engine()
    engine.add_contact(T0 + 2, "c2", "q")
    stats = engine.queue_stats("q")
    assert isinstance(stats, switchboard.QueueStats)
    assert stats.offered == stats["offered"] == 2 and type(stats.offered) is int
    agent = engine.agent_stats("a1")
    assert isinstance(agent, switchboard.AgentStats) and agent.state == "reserved"
    contact = engine.contact("c1")
    assert isinstance(contact, switchboard.ContactInfo)
    assert contact.attributes == {"tier": "gold"} and contact["state"] == "offered"
    (waiting,) = engine.queue_contacts("q")
    assert waiting.id == "c2" and waiting.position == 1
    assert [c.id for c in engine.agent_contacts("a1")] == ["c1"]
    why = engine.explain("c2")
    assert isinstance(why, switchboard.Explanation)
    assert isinstance(why.contact, switchboard.ContactInfo) and why.contact.id == "c2"
    assert [(v.agent, v.reason) for v in why.agents] == [("a1", "at_capacity")]
    assert isinstance(why.agents[0], switchboard.AgentVerdict)
    plain = why.to_dict()
    assert type(plain["contact"]) is dict and type(plain["agents"][0]) is dict
    assert why == plain and why["agents"][0]["until"] is None


def test_records_cannot_be_made_from_python():
    with pytest.raises(TypeError):
        switchboard.Event()
    with pytest.raises(TypeError, match="not initialized"):
        switchboard.Event.__new__(switchboard.Event).type


def test_statistics_as_dataframes():
    pd = pytest.importorskip("pandas")
    engine = make_engine()
    engine.add_queue(T0 + 2, "spill")
    engine.add_agent(T0 + 2, "a2", queues=["spill"])
    queues = engine.queue_stats_frame()
    assert isinstance(queues, pd.DataFrame)
    assert list(queues.index) == ["q", "spill"]
    assert list(queues.columns) == list(engine.queue_stats("q").keys())
    assert queues.loc["q", "offered"] == 1 and queues.loc["spill", "offered"] == 0
    agents = engine.agent_stats_frame()
    assert list(agents.index) == ["a1", "a2"]
    assert list(agents.columns) == list(engine.agent_stats("a1").keys())
    assert agents.loc["a1", "state"] == "reserved" and agents.loc["a2", "state"] == "logged_out"
    assert len(switchboard.Engine().queue_stats_frame()) == 0


def test_dataframes_without_pandas_raise_import_error(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(ImportError, match="queue_stats_frame needs pandas.*python3-pandas"):
        make_engine().queue_stats_frame()
