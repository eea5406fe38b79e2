"""switchboard.Engine driven by a host written in Python."""

import math

import pytest

import switchboard

T0 = 1_700_000_000.0


def make_engine(**options):
    engine = switchboard.Engine(**options)
    engine.add_queue(T0, "support", requirement="support >= 1")
    engine.add_agent(T0, "a1", skills={"support": 5})
    engine.login(T0, "a1", ready=True)
    engine.drain_events()
    return engine


def by_type(events, type_):
    return [e for e in events if e["type"] == type_]


def test_contact_is_offered_to_the_ready_agent_as_an_event_dict():
    engine = make_engine()
    engine.add_contact(T0 + 1, "c1", "support")

    events = engine.drain_events()
    (offered,) = by_type(events, "contact_offered")
    assert offered["contact"] == "c1"
    assert offered["agent"] == "a1"
    assert offered["queue"] == "support"
    assert offered["channel"] == "voice"
    assert offered["cause"] == "routing"
    assert offered["time"] == T0 + 1
    assert offered["deadline"] == T0 + 1 + 15  # the default offer timeout
    assert offered["wait_s"] == 0.0
    # Every event has the same keys; what does not apply is None.
    assert all(e.keys() == offered.keys() for e in events)
    assert offered["from_state"] is None and offered["outcome"] is None
    sequences = [e["sequence"] for e in events]
    assert sequences == sorted(sequences)
    assert engine.drain_events() == []


def test_full_contact_life_with_timed_wrap_up_and_deadlines():
    engine = switchboard.Engine()
    engine.add_queue(T0, "sales", wrap_up=30.0)
    engine.add_agent(T0, "a1")
    engine.login(T0, "a1", ready=True)
    engine.add_contact(T0, "c1", "sales", attributes={"tier": "gold", "score": 3})
    assert engine.next_deadline == T0 + 15
    engine.accept(T0 + 2.5, "a1", "c1", actor="agent:a1")
    assert engine.contact("c1")["state"] == "connected"
    assert engine.agent_stats("a1")["state"] == "busy"
    engine.complete(T0 + 62.5, "a1", "c1", actor="agent:a1")
    assert engine.agent_stats("a1")["state"] == "wrap_up"
    assert engine.next_deadline == T0 + 92.5

    engine.advance_to(T0 + 100)
    events = engine.drain_events()
    assert by_type(events, "offer_accepted")[0]["actor"] == "agent:a1"
    assert by_type(events, "contact_completed")[0]["outcome"] == "completed"
    ended = by_type(events, "wrap_up_ended")[0]
    assert ended["time"] == T0 + 92.5
    assert ended["actor"] == "system"
    assert engine.agent_stats("a1")["state"] == "available"
    assert engine.next_deadline is None
    stats = engine.queue_stats("sales")
    assert (stats["offered"], stats["answered"], stats["completed"]) == (1, 1, 1)
    assert stats["asa_s"] == pytest.approx(2.5)
    with pytest.raises(switchboard.NotFoundError):
        engine.contact("c1")  # ended


def test_times_are_rounded_to_the_microsecond():
    engine = switchboard.Engine()
    engine.add_queue(1000.1234564, "q")  # small enough for a double to hold the 7th decimal
    assert engine.now == 1000.123456
    engine.advance_to(1000.1234566)
    assert engine.now == 1000.123457


def test_unknown_agent_raises_not_found_with_the_engines_message():
    engine = make_engine()
    with pytest.raises(switchboard.NotFoundError) as info:
        engine.login(T0, "x")
    assert str(info.value) == "unknown agent 'x'"
    assert isinstance(info.value, KeyError)
    assert isinstance(info.value, switchboard.Error)


def test_bad_requirement_raises_invalid_argument_with_the_column():
    engine = switchboard.Engine()
    with pytest.raises(switchboard.InvalidArgumentError) as info:
        engine.add_queue(T0, "q", requirement="support >= ")
    assert str(info.value) == (
        "queue 'q': requirement 'support >= ': column 12: expected a number or a string, "
        "found end of text"
    )
    assert isinstance(info.value, ValueError)


def test_a_weight_past_the_bound_raises_invalid_argument_and_adds_nobody():
    engine = switchboard.Engine()
    with pytest.raises(switchboard.InvalidArgumentError) as info:
        engine.add_agent(T0, "a1", weight=2e6)
    assert str(info.value) == "agent 'a1': weight is 2000000; expected > 0 and <= 1000000"
    with pytest.raises(switchboard.NotFoundError):
        engine.agent_stats("a1")


def test_time_going_backwards_raises_out_of_range_and_changes_nothing():
    engine = make_engine()
    engine.add_contact(T0 + 10, "c1", "support")
    engine.drain_events()
    with pytest.raises(switchboard.OutOfRangeError, match="^time went backwards: accept_offer"):
        engine.accept(T0 + 5, "a1", "c1")
    assert engine.drain_events() == []
    assert engine.contact("c1")["state"] == "offered"
    assert engine.now == T0 + 10


def test_other_status_codes_map_to_their_classes():
    engine = make_engine()
    with pytest.raises(switchboard.AlreadyExistsError, match="^queue 'support' already exists$"):
        engine.add_queue(T0, "support")
    engine.add_contact(T0, "c1", "support")
    engine.accept(T0, "a1", "c1")
    with pytest.raises(switchboard.FailedPreconditionError):
        engine.logout(T0, "a1")
    with pytest.raises(switchboard.InvalidArgumentError, match="offer_timeout"):
        switchboard.Engine(offer_timeout=0)
    with pytest.raises(switchboard.InvalidArgumentError, match="finite"):
        engine.advance_to(math.nan)


def test_invalid_options_raise_with_the_engines_message():
    cases = {
        "offer_timeout": (0, "offer_timeout is 0; expected a duration of at least 1us and at "
                             "most 100000h"),
        "max_consecutive_misses": (-1, "max_consecutive_misses is -1; expected >= 0"),
        "host_score_candidates": (0, "host_score_candidates is 0; expected 1..4096"),
        "max_buffered_events": (0, "max_buffered_events is 0; expected >= 1"),
        "expected_agents": (-1, "expected_agents is -1; expected 0..10000000"),
        "expected_contacts": (10**7 + 1, "expected_contacts is 10000001; expected 0..10000000"),
    }
    for name, (value, message) in cases.items():
        with pytest.raises(switchboard.InvalidArgumentError) as error:
            switchboard.Engine(**{name: value})
        assert str(error.value) == message


def test_binding_level_checks_raise_invalid_argument():
    engine = make_engine()
    with pytest.raises(switchboard.InvalidArgumentError, match="unknown channel 'pigeon'"):
        engine.add_contact(T0, "c1", "support", channel="pigeon")
    with pytest.raises(switchboard.InvalidArgumentError, match="unknown strategy 'best'"):
        engine.add_queue(T0, "q", strategy="best")
    with pytest.raises(switchboard.InvalidArgumentError, match="actor 'bogus'"):
        engine.set_not_ready(T0, "a1", "lunch", actor="bogus")
    with pytest.raises(switchboard.InvalidArgumentError, match="wrap_up: unknown key 'mod'"):
        engine.add_queue(T0, "q", wrap_up={"mod": "timed"})
    with pytest.raises(TypeError):
        engine.add_queue(T0, "q", "support >= 1")  # options are keyword-only


def test_agents_with_explicit_queues_and_multichannel_capacity():
    engine = switchboard.Engine()
    engine.add_queue(T0, "chat", requirement="chat >= 1")
    engine.add_queue(T0, "vip", requirement="chat >= 1", priority=5)
    engine.add_agent(
        T0,
        "a1",
        skills={"chat": 3},
        capacity={"chat": 2},
        queues=[{"queue": "vip", "priority": 1}, "chat"],
        groups=["team-a"],
        attributes={"lang": "de"},
    )
    assert engine.agent_queues("a1") == ["vip", "chat"]
    engine.login(T0, "a1", ready=True)
    engine.add_contact(T0, "c1", "chat", channel="chat")
    engine.add_contact(T0, "c2", "vip", channel="chat")
    offered = by_type(engine.drain_events(), "contact_offered")
    assert [(e["contact"], e["agent"]) for e in offered] == [("c1", "a1"), ("c2", "a1")]
    assert len(engine.agent_contacts("a1")) == 2


def test_host_scorer_decides_and_sees_the_candidates():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", strategy="host_score")
    engine.add_agent(T0, "a1", skills={"x": 1})
    engine.add_agent(T0, "a2", skills={"x": 9})
    engine.login(T0, "a1", ready=True)
    engine.login(T0 + 1, "a2", ready=True)  # a1 is the longest idle
    seen = []

    def scorer(candidate):
        seen.append(candidate)
        return 10.0 if candidate["agent"] == "a2" else 1.0

    engine.set_host_scorer(scorer)
    assert engine.host_scorer is scorer
    engine.add_contact(T0 + 5, "c1", "q")
    (offered,) = by_type(engine.drain_events(), "contact_offered")
    assert offered["agent"] == "a2"
    assert {c["agent"] for c in seen} == {"a1", "a2"}
    first = seen[0]
    assert first["contact"] == "c1" and first["queue"] == "q" and first["channel"] == "voice"
    assert set(first) == {
        "agent", "contact", "queue", "channel", "idle_s", "contacts_handled", "skill_score",
        "attributes",
    }
    assert max(c["idle_s"] for c in seen) == pytest.approx(5.0)

    # Without a scorer the queue falls back to the longest idle agent.
    engine.set_host_scorer(None)
    engine.add_contact(T0 + 6, "c2", "q")
    (offered,) = by_type(engine.drain_events(), "contact_offered")
    assert offered["agent"] == "a1"


def test_a_raising_scorer_falls_back_and_its_exception_reaches_the_caller():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", strategy="host_score")
    engine.add_agent(T0, "a1")
    engine.add_agent(T0, "a2")
    engine.login(T0, "a1", ready=True)
    engine.login(T0 + 1, "a2", ready=True)
    calls = []

    def scorer(candidate):
        calls.append(candidate["agent"])
        raise RuntimeError("scorer broke")

    engine.set_host_scorer(scorer)
    with pytest.raises(RuntimeError, match="scorer broke"):
        engine.add_contact(T0 + 2, "c1", "q")
    assert calls == ["a1"]  # not called again within the command
    assert engine.contact("c1")["agent"] == "a1"  # longest idle

    engine.set_host_scorer(lambda c: "not a number")
    engine.drain_events()
    with pytest.raises(TypeError):
        engine.add_contact(T0 + 3, "c2", "q")


def test_the_scorer_is_not_called_for_other_strategies():
    engine = make_engine()
    engine.set_host_scorer(lambda c: pytest.fail("called"))
    engine.add_contact(T0, "c1", "support")
    assert engine.contact("c1")["agent"] == "a1"


def test_record_events_off_builds_no_events():
    engine = make_engine(record_events=False)
    engine.add_contact(T0, "c1", "support")
    assert engine.drain_events() == []
    assert engine.contact("c1")["state"] == "offered"


def test_the_scorer_may_read_statistics_but_not_issue_commands():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", strategy="host_score")
    engine.add_agent(T0, "a1")
    engine.login(T0, "a1", ready=True)
    reads = []

    def scorer(candidate):
        reads.append(engine.agent_stats(candidate["agent"])["state"])
        engine.add_queue(T0, "other")

    engine.set_host_scorer(scorer)
    with pytest.raises(switchboard.FailedPreconditionError, match="middle of a command"):
        engine.add_contact(T0, "c1", "q")
    assert reads == ["available"]
    assert engine.contact("c1")["agent"] == "a1"


def test_an_engine_referenced_by_its_scorer_is_collected():
    import gc
    import weakref

    engine = switchboard.Engine()
    engine.set_host_scorer(lambda c: engine.agent_stats(c["agent"])["occupancy"])
    ref = weakref.ref(engine)
    del engine
    gc.collect()
    assert ref() is None


def test_contact_attributes_reach_the_host_and_its_scorer():
    engine = switchboard.Engine()
    t = 1_700_000_000.0
    engine.add_queue(t, "vip", strategy="host_score")
    engine.add_agent(t, "a1")
    engine.add_agent(t, "a2")
    seen = []

    def scorer(candidate):
        seen.append(candidate["attributes"])
        return 1.0 if candidate["agent"] == "a2" else 0.0

    engine.set_host_scorer(scorer)
    engine.login(t, "a1", ready=True)
    engine.login(t, "a2", ready=True)
    engine.add_contact(t, "c1", "vip", attributes={"tier": "gold", "value": 3.5})
    assert engine.contact("c1")["attributes"] == {"tier": "gold", "value": 3.5}
    assert engine.contact("c1")["agent"] == "a2"
    assert seen and all(a == {"tier": "gold", "value": 3.5} for a in seen)


def test_mapped_bytes_counts_the_blocks_of_large_engines_only():
    before = switchboard.Engine.mapped_bytes()
    assert isinstance(before, int) and before >= 0
    engine = make_engine()  # a small engine keeps its records on the heap
    assert switchboard.Engine.mapped_bytes() == before
    del engine


def test_options_default_to_the_engine_s_own_and_huge_pages_can_be_turned_off():
    options = switchboard.Engine().options
    assert options["offer_timeout"] == 15.0 and options["max_consecutive_misses"] == 2
    assert options["max_buffered_events"] == 100000 and options["huge_page_records"] is True
    assert options["expected_agents"] == 0 and options["expected_contacts"] == 0
    engine = switchboard.Engine(huge_page_records=False)
    assert engine.options["huge_page_records"] is False
    before = switchboard.Engine.mapped_bytes()
    for i in range(40_000):
        engine.add_agent(1.0, f"agent{i}")
    assert switchboard.Engine.mapped_bytes() == before


def _stub_literals():
    """The Literal aliases of _core.pyi, name -> tuple of strings."""
    import ast
    import pathlib

    tree = ast.parse((pathlib.Path(switchboard.__file__).parent / "_core.pyi").read_text())
    literals = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript)
                and getattr(node.value.value, "id", None) == "Literal"):
            elements = node.value.slice.elts
            literals[node.targets[0].id] = tuple(e.value for e in elements)
    return literals


def _accepted_names(call):
    """The names an InvalidArgumentError lists after 'expected one of '."""
    with pytest.raises(switchboard.InvalidArgumentError) as refused:
        call()
    return tuple(str(refused.value).split("expected one of ")[1].split(", "))


def test_the_stubs_literal_names_are_the_engine_s_own():
    literals = _stub_literals()
    engine = make_engine()
    assert literals["Strategy"] == _accepted_names(
        lambda: engine.add_queue(T0, "q2", strategy="fastest"))
    assert literals["ChannelName"] == _accepted_names(
        lambda: engine.add_contact(T0, "c9", "support", channel="pigeon"))
    # Every name a session produces is in its Literal.
    engine.add_contact(T0, "c1", "support")
    engine.reject(T0 + 1, "a1", "c1")
    engine.advance_to(T0 + 100)
    engine.add_contact(T0 + 100, "c2", "support")
    for event in engine.drain_events():
        assert event["type"] in literals["EventTypeName"]
        assert event["cause"] in literals["Cause"]
        for key, literal in (("from_state", "AgentState"), ("to_state", "AgentState"),
                             ("outcome", "ContactOutcome"), ("channel", "ChannelName")):
            assert event[key] is None or event[key] in literals[literal]
    assert engine.contact("c2")["state"] in literals["ContactState"]


def test_requirement_steps_widen_who_may_take_a_waiting_contact():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", requirement="support >= 5",
                     steps=[{"after": 30, "requirement": "support >= 1"}])
    engine.add_agent(T0, "novice", skills={"support": 2})
    engine.login(T0, "novice", ready=True)
    engine.add_contact(T0, "c1", "q")
    assert engine.next_deadline == T0 + 30
    engine.advance_to(T0 + 30)
    events = engine.drain_events()
    step = [e for e in events if e["type"] == "contact_requirement_changed"]
    assert len(step) == 1 and step[0]["cause"] == "requirement_step"
    assert step[0]["reason"] == "support >= 1" and step[0]["contact"] == "c1"
    assert [e["agent"] for e in events if e["type"] == "contact_offered"] == ["novice"]


def test_requirement_steps_are_checked_with_the_engines_messages():
    engine = switchboard.Engine()
    cases = [
        ("not a list", 'steps: expected a list of {"after": s, "requirement": str}'),
        ([30], 'steps[0]: expected a dict with "after" and "requirement"'),
        ([{"requirement": "a >= 1"}], 'steps[0]: "after" is required'),
        ([{"after": 30, "when": 1}], "steps[0]: unknown key 'when'"),
        ([{"after": "30s"}], "steps[0].after: expected seconds (a number) or a datetime.timedelta, got str"),
        ([{"after": 30, "requirement": 5}], "steps[0].requirement: expected a str, got int"),
        ([{"after": 10**400}],
         "steps[0].after: expected a finite number of seconds, got an int too large for a float"),
        ([{"after": 30}, {"after": 20}],
         "queue 'q': steps[1].after is 20s; expected more than the step before (30s)"),
    ]
    for steps, message in cases:
        with pytest.raises(switchboard.InvalidArgumentError) as error:
            engine.add_queue(T0, "q", steps=steps)
        assert str(error.value).startswith(message), str(error.value)


def test_estimated_wait_at_entry_while_waiting_and_in_the_statistics():
    engine = switchboard.Engine(ewt_initial_interval=20)
    engine.add_queue(T0, "q")
    engine.add_contact(T0, "c1", "q")
    engine.add_contact(T0, "c2", "q")
    queued = [e for e in engine.drain_events() if e["type"] == "contact_queued"]
    assert [e["ewt_s"] for e in queued] == [20.0, 40.0]
    assert engine.contact("c2")["estimated_wait_s"] == 40.0
    engine.add_agent(T0 + 50, "a1")
    engine.login(T0 + 50, "a1", ready=True)
    engine.accept(T0 + 50, "a1", "c1")  # told 20 s, waited 50 s
    stats = engine.queue_stats("q")
    assert stats["ewt_error_s"] == 30.0 and stats["ewt_bias_s"] == -30.0
    assert engine.options["ewt_initial_interval"] == 20.0
    with pytest.raises(switchboard.InvalidArgumentError, match="ewt_initial_interval"):
        switchboard.Engine(ewt_initial_interval=0)


def test_wrong_types_in_wrap_up_and_memberships_are_invalid_arguments():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    cases = [
        (lambda: engine.add_queue(T0, "w", wrap_up={"duration": "30"}),
         "wrap_up duration: expected seconds (a number) or a datetime.timedelta, got str"),
        (lambda: engine.add_queue(T0, "w", wrap_up={"mode": "timed_with_extension",
                                                     "duration": 30, "max_extension": None}),
         "wrap_up max_extension: expected seconds (a number) or a datetime.timedelta, got NoneType"),
        (lambda: engine.add_queue(T0, "w", wrap_up=[30]),
         "wrap_up: expected seconds (a number) or a datetime.timedelta, got list"),
        (lambda: engine.add_agent(T0, "a", queues=[{"queue": "q", "priority": "high"}]),
         "queues priority: expected an int, got str"),
        (lambda: engine.add_agent(T0, "a", queues=[{"queue": "q", "priority": 2**31}]),
         "queues priority: 2147483648 is out of range"),
        (lambda: engine.add_agent(T0, "a", queues=[{"queue": "q", "delay": "5s"}]),
         "queues delay: expected seconds (a number) or a datetime.timedelta, got str"),
    ]
    for call, message in cases:
        with pytest.raises(switchboard.InvalidArgumentError) as error:
            call()
        assert str(error.value).startswith(message), str(error.value)
    engine.add_queue(T0, "w", wrap_up={"duration": 30, "max_extension": 60})
    engine.add_agent(T0, "a", queues=[{"queue": "q", "priority": 2, "delay": 5}])
