"""Multi-offer from Python: a queue's ring_agents rings a contact at several agents at once."""
import datetime

import pytest

import switchboard as sb

T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.timezone.utc)


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


def chat_center(ring_agents, agents):
    engine = sb.Engine()
    engine.add_queue(at(0), "chat", ring_agents=ring_agents)
    for i, agent in enumerate(agents):
        engine.add_agent(at(i), agent)
        engine.login(at(i), agent, ready=True)
    return engine


def rung_at(events, contact):
    return [e.agent for e in events if e.type == sb.EventType.contact_offered and e.contact == contact]


def test_rings_at_several_and_the_first_accept_wins():
    engine = chat_center(3, ["a1", "a2", "a3", "a4"])
    assert engine.add_contact(at(10), "c1", queue="chat") == "a1"
    events = engine.drain_events()
    assert rung_at(events, "c1") == ["a1", "a2", "a3"]
    assert [c.id for c in engine.agent_contacts("a3")] == ["c1"]
    engine.accept(at(12), "a3", "c1")
    events = engine.drain_events()
    withdrawn = [e for e in events if e.type == sb.EventType.offer_withdrawn]
    assert sorted(e.agent for e in withdrawn) == ["a1", "a2"]
    assert {e.reason for e in withdrawn} == {"accepted_by_another"}
    assert engine.contact("c1").agent == "a3"
    with pytest.raises(sb.FailedPreconditionError):
        engine.accept(at(12), "a1", "c1")


def test_a_reject_leaves_the_others_ringing():
    engine = chat_center(2, ["a1", "a2"])
    engine.add_contact(at(10), "c1", queue="chat")
    engine.reject(at(11), "a1", "c1")
    assert engine.contact("c1").state == "offered"
    assert engine.contact("c1").agent == "a2"
    assert engine.queue_stats("chat")["offers_missed"] == 1


def test_ring_agents_out_of_range_is_refused():
    engine = sb.Engine()
    with pytest.raises(sb.InvalidArgumentError, match=r"queue 'q': ring_agents is 9; expected 1..8"):
        engine.add_queue(at(0), "q", ring_agents=9)
