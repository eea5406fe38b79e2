"""Overflow rules and callbacks from Python: add_queue(overflow=[...]), answer_overflow,
report_callback, the max_transfers option, the statistics and the event target."""

import ast

import pytest

import switchboard
from stubs import stub_tree

T0 = 1_700_000_000.0


def by_type(events, type_):
    return [e for e in events if e["type"] == type_]


def only(events, type_):
    (event,) = by_type(events, type_)
    return event


def gone(engine, contact):
    try:
        engine.contact(contact)
    except switchboard.NotFoundError:
        return True
    return False


# --- Each action ---------------------------------------------------------------------------


def test_a_wait_rule_transfers_keeping_the_arrival():
    engine = switchboard.Engine()
    engine.add_queue(T0, "backup")
    engine.add_queue(T0, "q", requirement="expert >= 1", overflow=[
        {"when": "wait", "wait": 30, "action": "transfer", "target": "backup"}])
    engine.add_agent(T0, "generalist", skills={"general": 1})
    engine.login(T0, "generalist", ready=True)
    engine.add_contact(T0, "c1", "q")
    assert engine.next_deadline == T0 + 30
    engine.advance_to(T0 + 30)

    events = engine.drain_events()
    moved = only(events, "contact_transferred")
    assert (moved["contact"], moved["queue"], moved["target"]) == ("c1", "q", "backup")
    assert (moved["reason"], moved["cause"], moved["actor"]) == ("wait", "overflow", "system")
    assert only(events, "contact_offered")["agent"] == "generalist"
    contact = engine.contact("c1")
    assert contact["queue"] == "backup" and contact["arrival"] == T0
    engine.accept(T0 + 30, "generalist", "c1")
    assert engine.queue_stats("backup")["asa_s"] == 30.0  # waited from its first arrival
    q = engine.queue_stats("q")
    assert (q["transferred"], q["overflowed"], q["answered"]) == (1, 1, 0)
    assert engine.queue_stats("backup")["offered"] == 1


def test_a_copy_waits_in_both_queues_and_the_first_agent_takes_the_contact():
    engine = switchboard.Engine()
    engine.add_queue(T0, "backup", requirement="general >= 1")
    engine.add_queue(T0, "q", requirement="expert >= 1", overflow=[
        {"when": "wait", "wait": 30, "action": "copy", "target": "backup"}])
    engine.add_agent(T0, "generalist", skills={"general": 1})
    engine.add_contact(T0, "c1", "q")
    engine.advance_to(T0 + 30)
    copied = only(engine.drain_events(), "contact_copied")
    assert (copied["contact"], copied["queue"], copied["target"]) == ("c1", "q", "backup")
    assert engine.queue_stats("backup")["waiting"] == 1  # the copy
    assert engine.queue_stats("q")["waiting"] == 1
    engine.login(T0 + 40, "generalist", ready=True)
    assert engine.contact("c1")["agent"] == "generalist"
    assert engine.contact("c1")["queue"] == "backup"
    assert engine.queue_stats("q")["waiting"] == 0
    assert engine.queue_stats("backup")["waiting"] == 0
    assert engine.queue_stats("q")["transferred"] == 1


def test_a_customer_may_choose_the_time_of_a_scheduled_callback():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", overflow=[
        {"when": "queue_length", "queue_length": 0, "action": "callback", "ask": True,
         "callback": {"mode": "scheduled", "after": 7200}}])
    engine.add_contact(T0, "c1", "q")
    engine.answer_overflow(T0, "c1", True, callback_at=T0 + 5400)
    assert only(engine.drain_events(), "callback_scheduled")["deadline"] == T0 + 5400
    assert engine.next_deadline == T0 + 5400


def test_the_transfer_limit_is_an_engine_option_and_its_event_names_the_target():
    engine = switchboard.Engine(max_transfers=1)
    assert engine.options["max_transfers"] == 1
    assert switchboard.Engine().options["max_transfers"] == 3
    engine.add_queue(T0, "b")
    engine.add_queue(T0, "a", overflow=[
        {"when": "wait", "wait": 5, "action": "transfer", "target": "b"}])
    engine.add_queue(T0, "entry", overflow=[
        {"when": "wait", "wait": 5, "action": "transfer", "target": "a"}])
    engine.add_contact(T0, "c1", "entry")
    engine.advance_to(T0 + 10)
    assert engine.contact("c1")["queue"] == "a"
    hit = only(engine.drain_events(), "transfer_limit_hit")
    assert (hit["queue"], hit["target"], hit["reason"]) == ("a", "b", "wait")
    assert hit["outcome"] is None


def test_look_ahead_transfers_only_to_a_shorter_estimated_wait():
    engine = switchboard.Engine(ewt_initial_interval=60)
    engine.add_queue(T0, "other")
    engine.add_queue(T0, "q", overflow=[{"when": "wait", "wait": 10, "action": "transfer",
                                         "target": "other", "look_ahead": True}])
    engine.add_contact(T0, "o1", "other")
    engine.add_contact(T0, "o2", "other")
    engine.add_contact(T0, "c1", "q")
    engine.advance_to(T0 + 10)
    assert engine.contact("c1")["queue"] == "q"  # 180 s there against 60 s here
    engine.remove(T0 + 10, "o1", "test")
    engine.remove(T0 + 10, "o2", "test")
    engine.add_contact(T0 + 10, "c2", "q")
    engine.advance_to(T0 + 20)
    assert engine.contact("c2")["queue"] == "other"


def test_a_keep_place_callback_is_dialled_and_connects():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", overflow=[{"when": "wait", "wait": 60, "action": "callback"}])
    engine.add_agent(T0, "a1")
    engine.login(T0, "a1", ready=True)
    engine.add_contact(T0, "busy", "q")
    engine.accept(T0, "a1", "busy")
    engine.add_contact(T0, "c1", "q")
    engine.add_contact(T0 + 10, "c2", "q")
    engine.advance_to(T0 + 60)  # c1 has waited 60 s
    accepted = only(engine.drain_events(), "callback_accepted")
    assert (accepted["contact"], accepted["cause"]) == ("c1", "overflow")
    stats = engine.queue_stats("q")
    assert (stats["callbacks"], stats["waiting"], stats["overflowed"]) == (1, 2, 1)

    engine.complete(T0 + 60, "a1", "busy")
    assert engine.contact("c1")["agent"] == "a1"  # its place kept: ahead of c2
    engine.accept(T0 + 60, "a1", "c1", actor="agent:a1")
    dialing = only(engine.drain_events(), "callback_dialing")
    assert (dialing["agent"], dialing["actor"]) == ("a1", "agent:a1")
    assert engine.contact("c1")["state"] == "dialing"
    assert engine.queue_stats("q")["answered"] == 1  # dialling is not an answer
    with pytest.raises(switchboard.FailedPreconditionError):
        engine.complete(T0 + 61, "a1", "c1")

    engine.report_callback(T0 + 65, "c1", "connected", actor="agent:a1")
    connected = only(engine.drain_events(), "callback_connected")
    assert (connected["contact"], connected["agent"], connected["actor"]) == (
        "c1", "a1", "agent:a1")
    assert engine.contact("c1")["state"] == "connected"
    stats = engine.queue_stats("q")
    assert (stats["answered"], stats["callbacks_connected"], stats["callbacks_failed"]) == (2, 1, 0)
    engine.complete(T0 + 100, "a1", "c1")


def test_a_callback_retries_then_fails_with_its_own_outcome():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", overflow=[{
        "when": "queue_length", "queue_length": 0, "action": "callback",
        "callback": {"retries": 1, "retry_after": 300}}])
    engine.add_agent(T0, "a1")
    engine.add_contact(T0, "c1", "q")  # nobody to take it: a callback at once
    engine.login(T0, "a1", ready=True)
    engine.accept(T0, "a1", "c1")
    engine.report_callback(T0, "c1", "no_answer")
    failed = only(engine.drain_events(), "callback_attempt_failed")
    assert (failed["reason"], failed["deadline"], failed["agent"]) == ("no_answer", T0 + 300, "a1")
    assert engine.agent_stats("a1")["state"] == "available"
    assert engine.contact("c1")["state"] == "waiting"
    assert engine.next_deadline == T0 + 300

    engine.advance_to(T0 + 300)
    due = only(engine.drain_events(), "callback_due")
    assert (due["contact"], due["queue"], due["cause"], due["actor"]) == (
        "c1", "q", "callback_due", "system")
    assert engine.contact("c1")["agent"] == "a1"
    engine.accept(T0 + 300, "a1", "c1")
    engine.report_callback(T0 + 301, "c1", "busy")
    ended = only(engine.drain_events(), "callback_failed")
    assert (ended["reason"], ended["outcome"]) == ("busy", "callback_failed")
    assert gone(engine, "c1")
    stats = engine.queue_stats("q")
    assert (stats["callbacks"], stats["callbacks_failed"], stats["callbacks_connected"]) == (1, 1, 0)
    assert (stats["answered"], stats["abandoned"]) == (0, 0)


def test_a_scheduled_callback_comes_back_on_the_callback_channel():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", overflow=[{
        "when": "wait", "wait": 30, "action": "callback",
        "callback": {"mode": "scheduled", "after": 7200, "priority": 3}}])
    engine.add_contact(T0, "c1", "q")
    engine.advance_to(T0 + 30)
    scheduled = only(engine.drain_events(), "callback_scheduled")
    assert scheduled["deadline"] == T0 + 30 + 7200
    assert engine.queue_stats("q")["waiting"] == 0
    engine.add_agent(T0 + 30, "a1", capacity={"voice": 1, "callback": 1})
    engine.login(T0 + 30, "a1", ready=True)
    engine.drain_events()
    engine.advance_to(T0 + 7230)
    events = engine.drain_events()
    assert [(e["type"], e["cause"]) for e in events][:2] == [
        ("callback_due", "callback_due"), ("contact_offered", "routing")]  # every offer: routing
    contact = engine.contact("c1")
    assert (contact["agent"], contact["channel"], contact["priority"]) == ("a1", "callback", 3)
    assert contact["arrival"] == T0


def test_an_asked_deflection_accepted_ends_the_contact_with_its_target():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", overflow=[{"when": "queue_length", "queue_length": 0,
                                         "action": "deflect", "target": "chatbot",
                                         "ask": True}])
    engine.add_contact(T0, "c1", "q")
    offered = only(engine.drain_events(), "overflow_offered")
    assert (offered["reason"], offered["target"], offered["cause"]) == (
        "deflect", "chatbot", "command")
    assert engine.queue_stats("q")["waiting"] == 1  # waits for its answer
    engine.answer_overflow(T0 + 5, "c1", True, actor="host:ivr")
    deflected = only(engine.drain_events(), "contact_deflected")
    assert (deflected["target"], deflected["outcome"], deflected["actor"]) == (
        "chatbot", "deflected", "host:ivr")
    assert deflected["wait_s"] == 5.0
    assert gone(engine, "c1")
    stats = engine.queue_stats("q")
    assert (stats["deflected"], stats["overflowed"], stats["waiting"]) == (1, 1, 0)


def test_a_declined_offer_is_spent_and_the_next_rule_fires_later():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", overflow=[
        {"when": "wait", "wait": 30, "action": "deflect", "target": "web", "ask": True},
        {"when": "wait", "wait": 90, "action": "voicemail"}])
    engine.add_contact(T0, "c1", "q")
    engine.advance_to(T0 + 30)
    offered = only(engine.drain_events(), "overflow_offered")
    assert (offered["reason"], offered["target"], offered["actor"], offered["cause"]) == (
        "deflect", "web", "system", "overflow")
    engine.answer_overflow(T0 + 31, "c1", False)
    assert only(engine.drain_events(), "overflow_declined")["contact"] == "c1"
    with pytest.raises(switchboard.FailedPreconditionError,
                       match="contact 'c1' has no overflow offer waiting for an answer"):
        engine.answer_overflow(T0 + 32, "c1", True)
    assert engine.next_deadline == T0 + 90
    engine.advance_to(T0 + 90)
    assert only(engine.drain_events(), "contact_voicemail")["outcome"] == "voicemail"
    stats = engine.queue_stats("q")
    assert (stats["voicemail"], stats["deflected"]) == (1, 0)


def test_an_asked_callback_offers_callback_as_the_reason_without_a_target():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", overflow=[{"when": "wait", "wait": 10, "action": "callback",
                                         "ask": True}])
    engine.add_contact(T0, "c1", "q")
    engine.advance_to(T0 + 10)
    offered = only(engine.drain_events(), "overflow_offered")
    assert (offered["reason"], offered["target"]) == ("callback", None)
    engine.answer_overflow(T0 + 12, "c1", True)
    assert only(engine.drain_events(), "callback_accepted")["contact"] == "c1"
    assert engine.queue_stats("q")["callbacks"] == 1


def test_voicemail_when_no_agent_serves_the_queue():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", requirement="billing >= 1", overflow=[
        {"when": "no_agents", "action": "voicemail", "reason": "nobody_in"}])
    engine.add_contact(T0, "c1", "q")
    event = only(engine.drain_events(), "contact_voicemail")
    assert (event["reason"], event["outcome"], event["target"]) == ("nobody_in", "voicemail", None)
    assert gone(engine, "c1")
    # Also when the queue's last agent logs out, at that time's deadline.
    engine.add_agent(T0, "a1", skills={"billing": 1})
    engine.login(T0, "a1")
    engine.add_contact(T0 + 1, "c2", "q")
    assert not gone(engine, "c2")
    engine.logout(T0 + 2, "a1")
    assert engine.next_deadline == T0 + 2
    engine.advance_to(T0 + 2)
    assert gone(engine, "c2")
    assert engine.queue_stats("q")["voicemail"] == 2


def test_queue_length_zero_with_disconnect_makes_a_loss_system():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", overflow=[
        {"when": "queue_length", "queue_length": 0, "action": "disconnect"}])
    engine.add_agent(T0, "a1")
    engine.login(T0, "a1", ready=True)
    engine.add_contact(T0, "c1", "q")  # taken at once: no rule
    engine.add_contact(T0, "c2", "q")  # nobody free: lost at once
    assert engine.contact("c1")["agent"] == "a1"
    assert gone(engine, "c2")
    event = only(engine.drain_events(), "contact_disconnected")
    assert (event["contact"], event["reason"], event["outcome"]) == (
        "c2", "queue_length", "disconnected")
    assert (event["actor"], event["cause"], event["wait_s"]) == ("host", "command", 0.0)
    stats = engine.queue_stats("q")
    assert (stats["offered"], stats["disconnected"], stats["overflowed"]) == (2, 1, 1)


def test_a_disconnect_carries_the_rules_reason_and_an_estimated_wait_rule_fires_on_arrival():
    engine = switchboard.Engine(ewt_initial_interval=60)
    engine.add_queue(T0, "q", overflow=[
        {"when": "estimated_wait", "wait": 150, "action": "disconnect", "reason": "too_long"}])
    for contact in ("c1", "c2", "c3"):  # estimates 60, 120 and 180 s
        engine.add_contact(T0, contact, "q")
    assert not gone(engine, "c2") and gone(engine, "c3")
    event = only(engine.drain_events(), "contact_disconnected")
    assert (event["contact"], event["reason"]) == ("c3", "too_long")


# --- Statistics, event keys and names -------------------------------------------------------


def _stub_fields(class_name):
    for node in stub_tree().body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return [n.target.id for n in node.body if isinstance(n, ast.AnnAssign)]
    raise AssertionError(class_name)


def _stub_literals():
    literals = {}
    for node in stub_tree().body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript)
                and getattr(node.value.value, "id", None) == "Literal"):
            literals[node.targets[0].id] = tuple(e.value for e in node.value.slice.elts)
    return literals


def test_queue_stats_and_events_have_the_keys_of_the_stubs():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    stats = engine.queue_stats("q")
    assert list(stats) == _stub_fields("QueueStats")
    for key in ("overflowed", "transferred", "callbacks", "callbacks_connected",
                "callbacks_failed", "deflected", "voicemail", "disconnected"):
        assert type(stats[key]) is int and stats[key] == 0
    (added,) = engine.drain_events()
    assert list(added) == _stub_fields("Event")
    assert added["target"] is None


def _accepted_names(call, error=switchboard.InvalidArgumentError):
    with pytest.raises(error) as refused:
        call()
    return tuple(str(refused.value).split("expected one of ")[1].split(", "))


def test_the_stubs_literal_names_are_the_bindings_and_engines_own():
    literals = _stub_literals()
    engine = switchboard.Engine()

    def rule(**keys):
        return lambda: engine.add_queue(T0, "q", overflow=[
            {"when": "no_agents", "action": "voicemail", **keys}])

    assert literals["OverflowTrigger"] == _accepted_names(rule(when="later"))
    assert literals["OverflowAction"] == _accepted_names(rule(action="hang_up"))
    assert literals["CallbackMode"] == _accepted_names(
        rule(action="callback", callback={"mode": "soon"}))
    assert literals["CallbackResult"] == _accepted_names(
        lambda: engine.report_callback(T0, "c1", "answered"))

    # Every name an overflow session produces is in its Literal.
    engine.add_queue(T0, "spill", overflow=[{"when": "wait", "wait": 5, "action": "disconnect"}])
    engine.add_queue(T0, "q", overflow=[
        {"when": "wait", "wait": 10, "action": "deflect", "target": "web", "ask": True},
        {"when": "wait", "wait": 20, "action": "transfer", "target": "spill"}])
    engine.add_queue(T0, "cb", overflow=[{
        "when": "queue_length", "queue_length": 0, "action": "callback",
        "callback": {"mode": "scheduled", "after": 60, "retries": 1}}])
    engine.add_agent(T0, "a1", capacity={"callback": 1}, queues=["cb"])
    engine.add_contact(T0, "c1", "q")
    engine.add_contact(T0, "c2", "cb")
    engine.advance_to(T0 + 10)
    engine.answer_overflow(T0 + 10, "c1", False)
    engine.advance_to(T0 + 30)
    engine.login(T0 + 30, "a1", ready=True)
    engine.advance_to(T0 + 60)
    engine.accept(T0 + 60, "a1", "c2")
    assert engine.contact("c2")["state"] in literals["ContactState"]
    engine.report_callback(T0 + 61, "c2", "no_answer")
    events = engine.drain_events()
    types = {e["type"] for e in events}
    assert {"overflow_offered", "overflow_declined", "contact_transferred",
            "contact_disconnected", "callback_scheduled", "callback_due", "callback_dialing",
            "callback_attempt_failed"} <= types
    assert {"overflow", "callback_due"} <= {e["cause"] for e in events}
    for event in events:
        assert event["type"] in literals["EventTypeName"]
        assert event["cause"] in literals["Cause"]
        assert event["outcome"] is None or event["outcome"] in literals["ContactOutcome"]


# --- Commands' errors ------------------------------------------------------------------------


def test_answer_overflow_and_report_callback_refuse_what_the_engine_refuses():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    engine.add_contact(T0, "c1", "q")
    with pytest.raises(switchboard.FailedPreconditionError,
                       match="^contact 'c1' has no overflow offer waiting for an answer$"):
        engine.answer_overflow(T0, "c1", True)
    with pytest.raises(switchboard.NotFoundError):
        engine.answer_overflow(T0, "nobody", True)
    with pytest.raises(switchboard.FailedPreconditionError,
                       match="^contact 'c1' is waiting; only a callback being dialled has a "
                             "result$"):
        engine.report_callback(T0, "c1", "connected")
    with pytest.raises(switchboard.NotFoundError):
        engine.report_callback(T0, "nobody", "busy")
    with pytest.raises(switchboard.InvalidArgumentError,
                       match="^unknown callback result 'answered'; expected one of connected, "
                             "no_answer, busy$"):
        engine.report_callback(T0, "c1", "answered")
    # accepted is True or False only: None or 1 is a mistake, not a "no".
    for accepted in (None, 1, "yes"):
        with pytest.raises(TypeError):
            engine.answer_overflow(T0, "c1", accepted)
    with pytest.raises(TypeError):
        engine.report_callback(T0, "c1", 0)
    with pytest.raises(switchboard.InvalidArgumentError, match="actor"):
        engine.answer_overflow(T0, "c1", True, actor="robot")


def test_max_transfers_out_of_range_is_refused_and_its_bounds_are_accepted():
    for value in (-1, 101):
        with pytest.raises(switchboard.InvalidArgumentError,
                           match=f"^max_transfers is {value}; expected 0..100$"):
            switchboard.Engine(max_transfers=value)
    for value in (0, 100):
        assert switchboard.Engine(max_transfers=value).options["max_transfers"] == value
    with pytest.raises(TypeError):
        switchboard.Engine(max_transfers=2**40)  # not an int of C++


# --- Bad rules: each message names the rule and the key --------------------------------------

OK = {"when": "wait", "wait": 30, "action": "disconnect"}

# overflow=..., the start of the InvalidArgumentError's message (the bindings' own checks).
BAD_RULES = [
    ("no list", "overflow: expected a list of rules (dicts), got str"),
    ({"when": "wait"}, "overflow: expected a list of rules (dicts), got dict"),
    (5, "overflow: expected a list of rules (dicts), got int"),
    ([5], 'overflow[0]: expected a dict with "when" and "action", got int'),
    ([OK, [("when", "wait")]], 'overflow[1]: expected a dict with "when" and "action", got list'),
    ([{"action": "disconnect"}], 'overflow[0]: "when" is required'),
    ([{"when": "no_agents"}], 'overflow[0]: "action" is required'),
    ([OK, {**OK, "wiat": 30}], "overflow[1]: unknown key 'wiat'; expected when, wait, "
                               "queue_length, action, target, look_ahead, ask, reason, callback"),
    ([{**OK, 7: 1}], "overflow[0]: unknown key '7'"),
    ([{**OK, "when": "later"}], "overflow[0].when: unknown trigger 'later'; expected one of "
                                "wait, queue_length, estimated_wait, no_agents, closed"),
    ([{"when": "closed", "wait": 30, "action": "voicemail"}],
     'overflow[0].wait: only for when "wait" or "estimated_wait"'),
    ([{**OK, "when": 1}], "overflow[0].when: expected a str, got int"),
    ([{**OK, "action": "hang_up"}], "overflow[0].action: unknown action 'hang_up'; expected one "
                                    "of transfer, callback, deflect, voicemail, disconnect"),
    ([{**OK, "action": None}], "overflow[0].action: expected a str, got NoneType"),
    ([OK, {**OK, "wait": "30s"}], "overflow[1].wait: expected seconds (a number) or a datetime.timedelta, got str"),
    ([{**OK, "wait": True}], "overflow[0].wait: expected seconds (a number) or a datetime.timedelta, got bool"),
    ([{**OK, "wait": float("nan")}], "overflow[0].wait: expected a finite number of seconds"),
    ([{**OK, "wait": 10**400}], "overflow[0].wait: expected a finite number of seconds, got an "
                                "int too large for a float"),
    ([{"when": "no_agents", "wait": 30, "action": "voicemail"}],
     'overflow[0].wait: only for when "wait" or "estimated_wait"'),
    ([{**OK, "queue_length": 3}], 'overflow[0].queue_length: only for when "queue_length"'),
    ([{"when": "queue_length", "queue_length": 2.0, "action": "disconnect"}],
     "overflow[0].queue_length: expected an int, got float"),
    ([{"when": "queue_length", "queue_length": False, "action": "disconnect"}],
     "overflow[0].queue_length: expected an int, got bool"),
    ([{"when": "queue_length", "queue_length": 2**70, "action": "disconnect"}],
     "overflow[0].queue_length: an int beyond 64 bits is out of range"),
    ([{**OK, "action": "transfer", "target": 5}], "overflow[0].target: expected a str, got int"),
    ([{**OK, "action": "deflect", "target": b"web"}],
     "overflow[0].target: expected a str, got bytes"),
    ([{**OK, "action": "deflect", "target": "web\udcff"}],
     "overflow[0].target: the str cannot be UTF-8"),
    ([{**OK, "action": "transfer", "target": "x", "look_ahead": 1}],
     "overflow[0].look_ahead: expected True or False, got int"),
    ([{**OK, "action": "callback", "ask": "yes"}], "overflow[0].ask: expected True or False, "
                                                   "got str"),
    ([{**OK, "reason": 3}], "overflow[0].reason: expected a str, got int"),
    ([{**OK, "action": "deflect", "target": "web", "reason": "x"}],
     'overflow[0].reason: only for action "disconnect" or "voicemail"'),
    ([{**OK, "callback": {}}], 'overflow[0].callback: only for action "callback"'),
    ([{**OK, "action": "callback", "callback": "scheduled"}],
     'overflow[0].callback: expected a dict with "mode", "after", "priority", "retries" and '
     '"retry_after", got str'),
    ([{**OK, "action": "callback", "callback": {"retires": 2}}],
     "overflow[0].callback: unknown key 'retires'; expected mode, after, priority, retries, "
     "retry_after"),
    ([{**OK, "action": "callback", "callback": {"mode": "soon"}}],
     "overflow[0].callback.mode: unknown callback mode 'soon'; expected one of keep_place, "
     "scheduled"),
    ([{**OK, "action": "callback", "callback": {"after": 60}}],
     'overflow[0].callback.after: only for mode "scheduled"'),
    ([{**OK, "action": "callback", "callback": {"mode": "keep_place", "priority": 2}}],
     'overflow[0].callback.priority: only for mode "scheduled"'),
    ([{**OK, "action": "callback", "callback": {"mode": "scheduled", "after": "1h"}}],
     "overflow[0].callback.after: expected seconds (a number) or a datetime.timedelta, got str"),
    ([{**OK, "action": "callback", "callback": {"mode": "scheduled", "after": 60,
                                                "priority": 1.5}}],
     "overflow[0].callback.priority: expected an int, got float"),
    ([{**OK, "action": "callback", "callback": {"retries": 2**40}}],
     "overflow[0].callback.retries: 1099511627776 is out of range (-2147483648..2147483647)"),
    ([{**OK, "action": "callback", "callback": {"retry_after": None}}],
     "overflow[0].callback.retry_after: expected seconds (a number) or a datetime.timedelta, got NoneType"),
]


@pytest.mark.parametrize("overflow, message", BAD_RULES,
                         ids=[message.split(":")[0] + " " + str(i)
                              for i, (_, message) in enumerate(BAD_RULES)])
def test_bad_rules_raise_invalid_argument_naming_the_rule_and_key(overflow, message):
    engine = switchboard.Engine()
    with pytest.raises(switchboard.InvalidArgumentError) as error:
        engine.add_queue(T0, "q", overflow=overflow)
    assert str(error.value).startswith(message), str(error.value)
    with pytest.raises(switchboard.NotFoundError):
        engine.queue_stats("q")


# The engine's own checks, with its messages.
ENGINE_REFUSALS = [
    ([{"when": "wait", "action": "disconnect"}],
     "queue 'q': overflow[0].wait is 0; expected a duration of at least 1us and at most 100000h"),
    ([OK, {"when": "estimated_wait", "wait": -1, "action": "disconnect"}],
     "queue 'q': overflow[1].wait is -1s"),
    ([{"when": "queue_length", "queue_length": -1, "action": "disconnect"}],
     "queue 'q': overflow[0].queue_length is -1; expected >= 0"),
    ([{**OK, "action": "transfer"}],
     "queue 'q': overflow[0]: a transfer needs a target (the queue's id)"),
    ([{**OK, "action": "transfer", "target": ""}],
     "queue 'q': overflow[0]: a transfer needs a target (the queue's id)"),
    ([{"when": "closed", "action": "voicemail"}],
     "queue 'q': overflow[0]: the closed trigger needs the queue's opening hours (hours)"),
    ([{**OK, "action": "transfer", "target": "q"}],
     "queue 'q': overflow[0]: a queue cannot transfer to itself"),
    ([{**OK, "action": "deflect"}],
     "queue 'q': overflow[0]: a deflection needs a target (where the host sends the customer)"),
    ([{**OK, "action": "voicemail", "target": "x"}],
     "queue 'q': overflow[0]: target is only for transfer, copy and deflect"),
    ([{**OK, "action": "voicemail", "ask": True}],
     "queue 'q': overflow[0]: ask is only for callback and deflect"),
    ([{**OK, "action": "deflect", "target": "web", "look_ahead": True}],
     "queue 'q': overflow[0]: look_ahead is only for transfer"),
    ([{**OK, "action": "callback", "callback": {"retries": 11}}],
     "queue 'q': overflow[0].callback.retries is 11; expected 0..10"),
    ([{**OK, "action": "callback", "callback": {"retry_after": 0}}],
     "queue 'q': overflow[0].callback.retry_after is 0; expected"),
    ([{**OK, "action": "callback", "callback": {"mode": "scheduled"}}],
     "queue 'q': overflow[0].callback.after is 0; expected a duration of at least 1us"),
    ([{**OK, "action": "callback", "callback": {"mode": "scheduled", "after": 60,
                                                "priority": 1001}}],
     "queue 'q': overflow[0].callback.priority is 1001; expected -1000..1000"),
    ([{**OK, "action": "disconnect", "reason": "x" * 4097}], "queue 'q': overflow[0].reason"),
    ([OK] * 17, "queue 'q': 17 overflow rules; expected at most 16"),
]


@pytest.mark.parametrize("overflow, message", ENGINE_REFUSALS,
                         ids=[str(i) for i in range(len(ENGINE_REFUSALS))])
def test_values_out_of_range_raise_the_engines_message(overflow, message):
    engine = switchboard.Engine()
    with pytest.raises(switchboard.InvalidArgumentError) as error:
        engine.add_queue(T0, "q", overflow=overflow)
    assert str(error.value).startswith(message), str(error.value)
    with pytest.raises(switchboard.NotFoundError):
        engine.queue_stats("q")


def test_an_unknown_transfer_target_is_not_found_with_the_engines_message():
    engine = switchboard.Engine()
    with pytest.raises(switchboard.NotFoundError) as error:
        engine.add_queue(T0, "q", overflow=[{**OK, "action": "transfer", "target": "nowhere"}])
    assert str(error.value) == "queue 'q': overflow[0].target: unknown queue 'nowhere'"


def test_any_iterable_of_rules_is_accepted_and_sixteen_is_the_limit():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", overflow=(dict(OK, wait=30 + i) for i in range(16)))
    engine.add_queue(T0, "empty", overflow=[])
    engine.add_contact(T0, "c1", "q")
    assert engine.next_deadline == T0 + 30


def test_numpy_numbers_are_seconds_and_ints():
    np = pytest.importorskip("numpy")
    engine = switchboard.Engine()
    engine.add_queue(T0, "q", overflow=[
        {"when": "queue_length", "queue_length": np.int64(1), "action": "callback",
         "callback": {"retries": np.int32(2), "retry_after": np.float64(60)}},
        {"when": "wait", "wait": np.int64(30), "action": "disconnect"}])
    engine.add_contact(T0, "c1", "q")
    assert engine.next_deadline == T0 + 30
    with pytest.raises(switchboard.InvalidArgumentError,
                       match=r"overflow\[0\]\.queue_length: expected an int, got float64"):
        engine.add_queue(T0, "q2", overflow=[
            {"when": "queue_length", "queue_length": np.float64(1), "action": "disconnect"}])
    with pytest.raises(switchboard.InvalidArgumentError,
                       match=r"overflow\[0\]\.wait: expected seconds \(a number\) or a datetime\.timedelta, got complex"):
        engine.add_queue(T0, "q2", overflow=[{**OK, "wait": 1j}])
