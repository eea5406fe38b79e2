"""What a supervisor sees from Python: queues() and agents(), a queue's waiting contacts in the
order it offers them (queue_contacts), and why an agent is not offered contacts."""

import pytest

import switchboard

T0 = 1_700_000_000.0


def test_queues_and_agents_are_listed_in_the_order_they_were_added():
    engine = switchboard.Engine()
    for queue in ["sales", "support", "billing"]:
        engine.add_queue(T0, queue)
    engine.add_agent(T0, "zoe")
    engine.add_agent(T0, "adam")
    assert engine.queues() == ["sales", "support", "billing"]
    assert engine.agents() == ["zoe", "adam"]


def test_a_queue_lists_its_contacts_in_the_order_it_offers_them():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    engine.add_agent(T0, "a1")
    engine.add_contact(T0, "early", "q")
    engine.add_contact(T0 + 1, "chat", "q", channel="chat")
    engine.add_contact(T0 + 2, "urgent", "q", priority_class=1)
    engine.add_contact(T0 + 2, "held", "q", preferred_agent="a1", preferred_timeout=300)
    waiting = engine.queue_contacts("q")
    assert [c["id"] for c in waiting] == ["urgent", "early", "chat", "held"]
    assert [c["position"] for c in waiting] == [1, 2, 1, 3]
    assert waiting[3]["held_for"] == "a1"
    assert waiting[0]["held_for"] is None
    assert all(c["step"] == 0 for c in waiting)
    assert engine.contact("early")["position"] == 2
    with pytest.raises(switchboard.NotFoundError):
        engine.queue_contacts("nowhere")


def test_an_agents_stats_say_why_it_is_not_offered_contacts():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    engine.add_agent(T0, "a1")
    stats = engine.agent_stats("a1")
    assert (stats["routable"], stats["not_routable_reason"]) == (False, "logged_out")
    engine.login(T0, "a1", ready=True)
    stats = engine.agent_stats("a1")
    assert (stats["routable"], stats["not_routable_reason"]) == (True, None)
    engine.add_contact(T0, "c1", "q")  # rings: voice only, no room for another
    assert engine.agent_stats("a1")["not_routable_reason"] == "at_capacity"
    engine.advance_to(T0 + 15)  # no answer: paused after the missed offer
    assert engine.agent_stats("a1")["not_routable_reason"] == "missed_offer"


def test_dispositions_are_counted_per_queue_and_agent():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    engine.add_agent(T0, "a1")
    engine.login(T0, "a1", ready=True)
    for contact, code in [("c1", "resolved"), ("c2", "escalated"), ("c3", "resolved"), ("c4", None)]:
        engine.add_contact(T0, contact, "q")
        engine.accept(T0, "a1", contact)
        engine.complete(T0, "a1", contact, disposition=code)
    assert engine.queue_stats("q")["dispositions"] == {"resolved": 2, "escalated": 1}
    assert engine.agent_stats("a1")["dispositions"] == {"resolved": 2, "escalated": 1}
    completed = [e for e in engine.drain_events() if e["type"] == "contact_completed"]
    assert [e["reason"] for e in completed] == ["resolved", "escalated", "resolved", None]
    engine.add_contact(T0, "c5", "q")
    engine.accept(T0, "a1", "c5")
    with pytest.raises(switchboard.InvalidArgumentError) as error:
        engine.complete(T0, "a1", "c5", disposition="x" * 4097)
    assert str(error.value).startswith("disposition is 4097 bytes")
    assert engine.contact("c5")["state"] == "connected"


def test_a_contact_on_hold_too_long_raises_hold_limit_reached():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", max_hold=120)
    engine.add_agent(T0, "a1")
    engine.login(T0, "a1", ready=True)
    engine.add_contact(T0, "c1", "q")
    engine.accept(T0, "a1", "c1")
    engine.hold(T0, "a1", "c1")
    engine.drain_events()
    engine.advance_to(T0 + 120)
    (event,) = [e for e in engine.drain_events() if e["type"] == "hold_limit_reached"]
    assert (event["contact"], event["agent"], event["cause"]) == ("c1", "a1", "hold_limit")
    with pytest.raises(switchboard.InvalidArgumentError):
        engine.add_queue(T0 + 120, "r", max_hold=-1)


def test_an_agents_contacts_include_those_in_wrap_up():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", wrap_up="until_agent_ends")
    engine.add_agent(T0, "a1")
    engine.login(T0, "a1", ready=True)
    engine.add_contact(T0, "c1", "q")
    engine.accept(T0, "a1", "c1")
    engine.complete(T0, "a1", "c1")
    (held,) = engine.agent_contacts("a1")
    assert (held["id"], held["state"], held["queue"], held["agent"]) == ("c1", "wrap_up", "q", "a1")
    engine.end_wrap_up(T0, "a1")
    assert engine.agent_contacts("a1") == []


def test_explain_says_why_a_contact_is_still_waiting():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", requirement="support >= 5")
    engine.add_agent(T0, "expert", skills={"support": 5})
    engine.add_agent(T0, "junior", skills={"support": 2})
    engine.add_contact(T0, "c1", "q")
    why = engine.explain("c1")
    assert why["requirement"] == "support >= 5"
    assert why["contact"]["position"] == 1
    assert {a["agent"]: a["reason"] for a in why["agents"]} == {"expert": "logged_out"}
    assert why["next_change"] is None
    assert why["text"].startswith("c1 waits in q (voice), position 1")
    engine.login(T0 + 1, "expert", ready=False)
    assert engine.explain("c1")["agents"][0]["reason"] == "not_ready"
    engine.login(T0 + 1, "junior", ready=True)
    engine.set_ready(T0 + 2, "expert")
    with pytest.raises(switchboard.FailedPreconditionError):
        engine.explain("c1")  # offered to expert now
    with pytest.raises(switchboard.NotFoundError):
        engine.explain("nobody")


def test_explain_offer_names_the_strategys_key_and_the_runner_up():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", requirement="x >= 1", strategy="most_skilled")
    for agent, level in [("good", 3), ("best", 9)]:
        engine.add_agent(T0, agent, skills={"x": level})
        engine.login(T0, agent, ready=True)
    engine.add_contact(T0 + 1, "c1", "q")
    why = engine.explain_offer("c1")
    assert why["agent"] == "best" and why["runner_up"] == "good"
    assert why["agent_key"] == "skill score 9 on the queue's requirement"
    assert "Next now: good" in why["text"]
    engine.accept(T0 + 2, "best", "c1")
    with pytest.raises(switchboard.FailedPreconditionError, match="ringing"):
        engine.explain_offer("c1")


def test_add_contact_returns_the_agent_it_rings_at():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    engine.add_agent(T0, "a1")
    assert engine.add_contact(T0, "waits", "q") is None
    engine.login(T0, "a1", ready=True)
    engine.accept(T0, "a1", "waits")
    engine.add_agent(T0, "a2")
    engine.login(T0, "a2", ready=True)
    assert engine.add_contact(T0 + 1, "rings", "q") == "a2"
