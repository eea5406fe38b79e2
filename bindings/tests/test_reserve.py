"""Reserve agents from Python: a queue's reserve members (queues=[{"queue": ..., "reserve": True}])
take its contacts only while its reserve policy (add_queue(reserve={...})) is active, checked on
a grid of times; events reserve_activated / reserve_deactivated, queue_stats() and explain() tell
it (tests/reserve_test.cc has the engine's side)."""
import ast
import datetime as dt

import pytest

import switchboard
from switchboard import EventType
from stubs import stub_tree

T0 = 1_700_000_000.0  # a multiple of every check_every below: the grid starts at T0


def reserve_events(engine):
    return [e for e in engine.drain_events()
            if e.type in (EventType.reserve_activated, EventType.reserve_deactivated)]


def offered(events):
    return {e.contact: e.agent for e in events if e.type == EventType.contact_offered}


def busy_center(**reserve):
    """Queue "q" with the reserve policy `reserve`, agent "regular" busy with "first", and the
    reserve agent "backup" available."""
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", reserve=reserve)
    engine.add_agent(T0, "regular")
    engine.add_agent(T0, "backup", queues=[{"queue": "q", "reserve": True}])
    engine.login(T0, "regular", ready=True)
    engine.login(T0, "backup", ready=True)
    assert engine.add_contact(T0, "first", "q") == "regular"
    engine.accept(T0, "regular", "first")
    engine.drain_events()
    return engine


def test_the_oldest_wait_activates_the_reserve_at_the_next_check_and_the_backup_takes_it():
    engine = busy_center(activate_wait=30, deactivate_wait=dt.timedelta(seconds=5),
                         check_every=5)
    assert engine.add_contact(T0 + 2, "c2", "q") is None
    assert engine.next_deadline == T0 + 5  # checks at +5, +10, ... while c2 waits
    engine.advance_to(T0 + 32)
    assert offered(engine.drain_events()) == {}
    assert engine.queue_stats("q").reserve_active is False
    engine.advance_to(T0 + 35)  # the check at +35 sees 33 s >= 30 s
    events = engine.drain_events()
    (activated,) = [e for e in events if e.type is EventType.reserve_activated]
    assert (activated.time, activated.actor, activated.cause, activated.queue) == (
        T0 + 35, "system", "reserve_check", "q")
    assert activated.reason == "service_level=1.00 oldest_wait=33s"
    assert activated.wait_s == 33.0
    assert (activated.contact, activated.agent) == (None, None)
    assert offered(events) == {"c2": "backup"}
    offer = next(e for e in events if e.type is EventType.contact_offered)
    assert activated.sequence < offer.sequence
    stats = engine.queue_stats("q")
    assert stats.reserve_active is True and stats["reserve_active"] is True


def test_the_reserve_deactivates_once_nobody_waits_and_then_stops_checking():
    engine = busy_center(activate_wait=30, deactivate_wait=5, check_every=5)
    engine.add_contact(T0 + 2, "c2", "q")
    engine.advance_to(T0 + 35)
    engine.accept(T0 + 35, "backup", "c2")
    assert [e.type for e in reserve_events(engine)] == [EventType.reserve_activated]
    engine.advance_to(T0 + 40)  # nobody waits: 0 s <= 5 s
    (deactivated,) = reserve_events(engine)
    assert (deactivated.type, deactivated.cause, deactivated.reason, deactivated.wait_s) == (
        "reserve_deactivated", "reserve_check", "service_level=1.00 oldest_wait=0", 0.0)
    assert engine.queue_stats("q")["reserve_active"] is False
    assert engine.next_deadline is None  # no checks while nobody waits and it is inactive


def test_between_the_two_waits_the_reserve_stays_active():
    engine = busy_center(activate_wait=20, deactivate_wait=5, check_every=5)
    engine.set_not_ready(T0, "backup", "meeting")
    engine.add_contact(T0, "c2", "q")
    engine.add_contact(T0 + 12, "c3", "q")
    engine.advance_to(T0 + 20)  # c2 has waited 20 s
    assert [e.type for e in reserve_events(engine)] == ["reserve_activated"]
    engine.complete(T0 + 20, "regular", "first")
    assert offered(engine.drain_events()) == {"c2": "regular"}
    engine.accept(T0 + 20, "regular", "c2")
    engine.advance_to(T0 + 30)  # c3 waited 8 s, then 13 s and 18 s: between 5 s and 20 s
    assert reserve_events(engine) == []
    assert engine.queue_stats("q").reserve_active
    engine.set_ready(T0 + 30, "backup")  # active: takes c3 at once
    assert offered(engine.drain_events()) == {"c3": "backup"}


def test_the_service_level_over_the_window_activates_the_reserve_and_deactivates_it():
    engine = busy_center(activate_below=0.8, deactivate_at=0.9,
                         window=dt.timedelta(minutes=10), check_every=10)
    # "first" was answered at once; two contacts abandon after 40 s: 1 of 3 within.
    engine.add_contact(T0, "gone1", "q")
    engine.add_contact(T0, "gone2", "q")
    engine.abandon(T0 + 40, "gone1")
    engine.abandon(T0 + 40, "gone2")
    stats = engine.queue_stats("q")
    assert not stats.reserve_active  # the checks at +10..+40 saw none decided: 1
    assert stats.reserve_service_level == pytest.approx(1 / 3)
    assert stats["reserve_service_level"] == stats.reserve_service_level
    engine.add_contact(T0 + 40, "c3", "q")
    engine.advance_to(T0 + 50)
    events = engine.drain_events()
    (activated,) = [e for e in events if e.type is EventType.reserve_activated]
    assert activated.reason == "service_level=0.33 oldest_wait=10s"
    assert offered(events) == {"c3": "backup"}
    engine.accept(T0 + 50, "backup", "c3")  # within the 20 s threshold: 2 of 4
    assert engine.queue_stats("q").reserve_service_level == 0.5
    engine.advance_to(T0 + 639)
    assert reserve_events(engine) == []
    engine.advance_to(T0 + 640)  # the abandons left the window: 1 of 1
    (deactivated,) = reserve_events(engine)
    assert deactivated.type is EventType.reserve_deactivated
    assert engine.queue_stats("q").reserve_service_level == 1.0


def test_explain_says_a_reserve_agent_waits_for_the_next_check():
    engine = busy_center(activate_wait=60, deactivate_wait=10, check_every=5)
    engine.set_not_ready(T0, "backup", "break")
    engine.add_contact(T0, "c2", "q")
    engine.set_ready(T0 + 1, "backup")
    assert offered(engine.drain_events()) == {}
    verdicts = {v.agent: v for v in engine.explain("c2").agents}
    assert (verdicts["backup"].reason, verdicts["backup"].until) == ("reserve_inactive", T0 + 5)
    assert verdicts["backup"]["reason"] == "reserve_inactive"
    assert verdicts["regular"].reason == "at_capacity"
    assert engine.explain("c2").next_change == T0 + 5
    engine.set_not_ready(T0 + 1, "backup", "break")
    engine.advance_to(T0 + 60)  # the check at +60 activates it
    assert engine.queue_stats("q").reserve_active
    engine.set_ready(T0 + 60, "backup")
    assert offered(engine.drain_events()) == {"c2": "backup"}


def test_a_reserve_member_of_a_queue_without_a_policy_never_takes_its_contacts():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    engine.add_agent(T0, "backup", queues=[{"queue": "q", "reserve": True, "priority": 1}])
    engine.login(T0, "backup", ready=True)
    assert engine.agent_queues("backup") == ["q"]
    assert engine.add_contact(T0, "c1", "q") is None
    engine.advance_to(T0 + 3600)
    assert offered(engine.drain_events()) == {}
    assert engine.next_deadline is None
    assert engine.queue_stats("q").reserve_active is False
    assert engine.queue_stats("q").reserve_service_level == 1.0


def test_update_queue_adds_a_policy_and_removing_it_deactivates_the_reserve_at_once():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", service_level_threshold=30)
    engine.add_agent(T0, "backup", queues=[{"queue": "q", "reserve": True}])
    engine.login(T0, "backup", ready=True)
    engine.add_contact(T0, "c1", "q")
    engine.advance_to(T0 + 3600)
    engine.update_queue(T0 + 3600, "q", service_level_threshold=30,
                        reserve={"activate_wait": dt.timedelta(seconds=30)})
    assert engine.next_deadline == T0 + 3605  # checked while c1 waits
    engine.advance_to(T0 + 3605)
    events = engine.drain_events()
    assert EventType.reserve_activated in [e.type for e in events]
    assert offered(events) == {"c1": "backup"}
    engine.update_queue(T0 + 3606, "q", actor="supervisor:sue")  # no reserve policy now
    (deactivated,) = reserve_events(engine)
    assert (deactivated.type, deactivated.actor, deactivated.cause, deactivated.reason) == (
        "reserve_deactivated", "supervisor:sue", "command", "no reserve policy")
    assert deactivated.wait_s is None
    assert engine.queue_stats("q").reserve_active is False
    engine.update_queue(T0 + 3607, "q", reserve=None)  # none again: nothing to tell
    assert reserve_events(engine) == []


def test_an_agent_updated_into_a_reserve_waits_for_the_reserve():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", reserve={"activate_wait": 10, "check_every": 5})
    engine.add_agent(T0, "a1", queues=["q"])
    engine.update_agent(T0, "a1", queues=[{"queue": "q", "reserve": True}])
    engine.login(T0, "a1", ready=True)
    assert engine.add_contact(T0, "c1", "q") is None
    engine.advance_to(T0 + 10)
    assert offered(engine.drain_events()) == {"c1": "a1"}


def test_a_policy_out_of_range_is_refused_with_the_engines_message():
    engine = switchboard.Engine()
    cases = [
        ({}, "queue 'q': reserve has neither activate_below nor activate_wait; set one"),
        ({"activate_below": 0.8, "deactivate_at": 0.7},
         "queue 'q': reserve.deactivate_at is 0.7; expected 0.8..1"),
        ({"activate_below": 1.5}, "queue 'q': reserve.activate_below is 1.5; expected 0..1"),
        ({"activate_below": float("nan")},
         "queue 'q': reserve.activate_below is nan; expected 0..1"),
        ({"activate_wait": 30, "deactivate_wait": 40},
         "queue 'q': reserve.deactivate_wait is 40s; expected 0..30s"),
        ({"activate_wait": 30, "check_every": 0},
         "queue 'q': reserve.check_every is 0; expected 1s..1h"),
        ({"activate_wait": 30, "window": dt.timedelta(hours=25)},
         "queue 'q': reserve.window is 25h; expected 1us..24h"),
    ]
    for policy, message in cases:
        with pytest.raises(switchboard.InvalidArgumentError) as refused:
            engine.add_queue(T0, "q", reserve=policy)
        assert str(refused.value) == message
        assert isinstance(refused.value, ValueError)
    assert engine.queues() == []
    engine.add_queue(T0, "q")
    with pytest.raises(switchboard.InvalidArgumentError, match=r"reserve\.check_every is 2h"):
        engine.update_queue(T0, "q", reserve={"activate_wait": 30, "check_every": 7200})


def test_a_policy_of_the_wrong_shape_is_refused_naming_the_key():
    engine = switchboard.Engine()
    cases = [
        ({"activate_wiat": 30},
         "reserve: unknown key 'activate_wiat'; expected activate_below, deactivate_at, "
         "activate_wait, deactivate_wait, window, check_every"),
        ({"activate_wait": "30s"},
         "reserve.activate_wait: expected seconds (a number) or a datetime.timedelta, got str"),
        ({"activate_wait": 30, "window": None},
         "reserve.window: expected seconds (a number) or a datetime.timedelta, got NoneType"),
        ({"activate_below": True}, "reserve.activate_below: expected a number, got bool"),
        ({"activate_below": "0.8"}, "reserve.activate_below: expected a number, got str"),
        ({"activate_below": 0.5, "deactivate_at": 10**400},
         "reserve.deactivate_at: expected a finite number, got an int too large for a float"),
        (30, "reserve: expected a dict such as {\"activate_wait\": 60, \"deactivate_wait\": 10}, "
             "got int"),
    ]
    for policy, message in cases:
        with pytest.raises(switchboard.InvalidArgumentError) as refused:
            engine.add_queue(T0, "q", reserve=policy)
        assert str(refused.value) == message
    assert engine.queues() == []


def test_a_membership_reserve_must_be_a_bool():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    with pytest.raises(switchboard.InvalidArgumentError) as refused:
        engine.add_agent(T0, "a1", queues=[{"queue": "q", "reserve": 1}])
    assert str(refused.value) == "queues reserve: expected True or False, got int"
    with pytest.raises(switchboard.InvalidArgumentError) as refused:
        engine.add_agent(T0, "a1", queues=[{"queue": "q", "reserved": True}])
    assert str(refused.value) == \
        "queues: unknown key 'reserved'; expected queue, priority, delay, reserve"
    with pytest.raises(switchboard.InvalidArgumentError, match="'delay' and 'reserve'"):
        engine.add_agent(T0, "a1", queues=[3])
    assert engine.agents() == []


def test_the_stubs_reserve_policy_has_the_keys_the_bindings_accept():
    fields = None
    for node in stub_tree().body:
        if isinstance(node, ast.ClassDef) and node.name == "ReservePolicy":
            fields = tuple(n.target.id for n in node.body if isinstance(n, ast.AnnAssign))
    with pytest.raises(switchboard.InvalidArgumentError) as refused:
        switchboard.Engine().add_queue(T0, "q", reserve={"x": 1})
    assert fields == tuple(str(refused.value).split("; expected ")[1].split(", "))
    assert {"reserve_activated", "reserve_deactivated"} <= {t.value for t in EventType}


def test_deactivate_at_defaults_to_activate_below():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", reserve={"activate_below": 0.8})
    assert not engine.queue_stats("q")["reserve_active"]
