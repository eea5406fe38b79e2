"""A live center from Python: agents and queues updated and removed while contacts wait, and the
supervisor's commands on waiting contacts (move, priority, assign)."""

import datetime

import pytest

import switchboard
from switchboard import EventType

T0 = 1_700_000_000.0


def offered(engine):
    return {e.contact: e.agent for e in engine.drain_events() if e.type == EventType.contact_offered}


def test_an_agent_given_a_skill_takes_the_waiting_contact_at_once():
    engine = switchboard.Engine()
    engine.add_queue(T0, "es", requirement="spanish >= 3")
    engine.add_agent(T0, "a1", skills={"english": 5})
    engine.login(T0, "a1", ready=True)
    engine.add_contact(T0, "c1", "es")
    assert offered(engine) == {}
    engine.update_agent(T0 + 5, "a1", skills={"english": 5, "spanish": 4})
    assert offered(engine) == {"c1": "a1"}
    assert engine.agent_queues("a1") == ["es"]
    with pytest.raises(switchboard.InvalidArgumentError, match="level"):
        engine.update_agent(T0 + 6, "a1", skills={"spanish": 0})
    with pytest.raises(switchboard.NotFoundError):
        engine.update_agent(T0 + 6, "nobody", weight=2)


def test_listed_queues_combine_with_automatic_membership_when_asked():
    engine = switchboard.Engine()
    engine.add_queue(T0, "sales")
    engine.add_queue(T0, "support")
    engine.add_agent(T0, "both", queues=[{"queue": "support", "priority": 5}], auto_membership=True)
    engine.add_agent(T0, "only", queues=["support"])
    assert engine.agent_queues("both") == ["support", "sales"]
    assert engine.agent_queues("only") == ["support"]


def test_agents_and_queues_are_removed():
    engine = switchboard.Engine()
    engine.add_queue(T0, "old")
    engine.add_queue(T0, "new")
    engine.add_agent(T0, "a1")
    engine.add_contact(T0, "c1", "old")
    with pytest.raises(switchboard.FailedPreconditionError, match="waits in it"):
        engine.remove_queue(T0 + 1, "old")
    engine.remove_queue(T0 + 1, "old", move_to="new", actor="supervisor:sue")
    assert engine.queues() == ["new"]
    assert engine.contact("c1").queue == "new"
    assert engine.contact("c1").arrival == T0
    engine.remove_agent(T0 + 2, "a1")
    assert engine.agents() == []
    with pytest.raises(switchboard.NotFoundError):
        engine.agent_stats("a1")


def test_a_queue_update_relaxes_its_requirement_for_contacts_already_waiting():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", requirement="billing >= 5")
    engine.add_agent(T0, "junior", skills={"billing": 2})
    engine.login(T0, "junior", ready=True)
    engine.add_contact(T0, "c1", "q")
    assert offered(engine) == {}
    engine.update_queue(T0 + 30, "q", requirement="billing >= 1", strategy="most_skilled")
    assert offered(engine) == {"c1": "junior"}
    with pytest.raises(switchboard.FailedPreconditionError, match="steps"):
        engine.update_queue(T0 + 31, "q", steps=[{"after": 30, "requirement": ""}])


def test_supervisor_moves_reprioritizes_and_assigns_waiting_contacts():
    engine = switchboard.Engine()
    engine.add_queue(T0, "sales")
    engine.add_queue(T0, "vip")
    engine.add_agent(T0, "a1", queues=["vip"])
    start = datetime.datetime.fromtimestamp(T0, datetime.timezone.utc)
    engine.add_contact(start, "first", "sales")
    engine.add_contact(start + datetime.timedelta(seconds=10), "second", "sales")
    engine.set_contact_priority(T0 + 11, "second", 1, actor="supervisor:sue")
    assert [c.id for c in engine.queue_contacts("sales")] == ["second", "first"]
    engine.move_contact(T0 + 12, "first", "vip", actor="supervisor:sue")
    assert engine.queue_stats("sales").transferred == 1
    engine.login(T0 + 13, "a1", ready=False, reason="coaching")
    with pytest.raises(switchboard.FailedPreconditionError, match="not_ready"):
        engine.assign_contact(T0 + 14, "second", "a1")
    engine.set_ready(T0 + 15, "a1")
    assert offered(engine) == {"first": "a1"}
    engine.reject(T0 + 16, "a1", "first")
    engine.drain_events()
    engine.assign_contact(T0 + 17, "second", "a1", actor="supervisor:sue")
    events = engine.drain_events()
    assigned = [e for e in events if e.type == EventType.contact_assigned]
    assert assigned and assigned[0].actor == "supervisor:sue"
    assert offered_events(events) == {"second": "a1"}


def offered_events(events):
    return {e.contact: e.agent for e in events if e.type == EventType.contact_offered}


def test_an_agent_transfers_blind_direct_and_by_consult():
    engine = switchboard.Engine()
    engine.add_queue(T0, "front")
    engine.add_queue(T0, "billing", requirement="billing >= 1")
    engine.add_agent(T0, "front")
    engine.add_agent(T0, "biller", skills={"billing": 5})
    engine.login(T0, "front", ready=True)
    engine.add_contact(T0, "c1", "front")
    engine.accept(T0 + 1, "front", "c1")
    engine.transfer(T0 + 60, "front", "c1", queue="billing",
                    to_agent="biller", timeout=datetime.timedelta(seconds=20))
    assert engine.contact("c1").held_for == "biller"
    assert engine.agent_stats("front").transfers == 1
    engine.login(T0 + 61, "biller", ready=True)
    engine.accept(T0 + 62, "biller", "c1")
    engine.start_consult(T0 + 70, "biller", "c1", "front")
    assert engine.agent_stats("front").state == "busy"
    with pytest.raises(switchboard.FailedPreconditionError, match="consult"):
        engine.complete(T0 + 71, "biller", "c1")
    engine.complete_consult(T0 + 80, "biller", "c1")
    assert engine.contact("c1").agent == "front"
    kinds = [e.type for e in engine.drain_events()]
    assert EventType.consult_started in kinds and EventType.consult_completed in kinds
    engine.complete(T0 + 90, "front", "c1")
    assert engine.queue_stats("billing").completed == 1


def test_interval_stats_add_up_a_team_and_roll_over():
    engine = switchboard.Engine(stats_interval=datetime.timedelta(minutes=15))
    start = 1_700_000_100.0
    start -= start % 900  # the start of a quarter of an hour
    engine.add_queue(start, "q", service_level_threshold=20)
    engine.add_agent(start, "a1", team="blue")
    engine.add_agent(start, "a2", team="blue")
    for agent in ("a1", "a2"):
        engine.login(start, agent, ready=True)
    engine.add_contact(start + 10, "c1", "q")
    engine.accept(start + 15, "a1", "c1")
    engine.complete(start + 100, "a1", "c1")
    queue = engine.interval_stats("queue", "q")
    assert queue["current"]["answered"] == 1
    assert queue["current"]["asa_s"] == 5.0  # offered at once, it rang 5 s
    assert queue["current"]["start"] == start
    engine.update_agent(start + 200, "a2", team="red")
    team = engine.interval_stats("team", "blue")
    assert team["now"]["agents_by_state"]["available"] == 1
    assert team["current"]["answered"] == 1
    engine.advance_to(start + 900 + 60)
    rolled = engine.interval_stats("queue", "q")
    assert rolled["previous"]["answered"] == 1 and rolled["current"]["answered"] == 0
    with pytest.raises(switchboard.NotFoundError):
        engine.interval_stats("team", "green")
    with pytest.raises(switchboard.InvalidArgumentError, match="scope"):
        engine.interval_stats("floor", "q")
