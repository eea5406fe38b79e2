"""Entry rules from Python: set_entry_rules([...]) and add_contact without a queue, the event
entry_rule_matched, deflection at entry, and every bad input."""

import ast

import pytest

import switchboard
from stubs import stub_tree

T0 = 1_700_000_000.0

GOLD_JA = 'language == "ja" && tier in ["gold", "platinum"]'
BILINGUAL = [
    {"when": GOLD_JA, "queue": "japanese", "priority": 2, "priority_class": 1},
    {"when": 'language == "ja"', "queue": "japanese"},
    {"when": 'ivr == "balance"', "queue": "english", "deflect": "web"},
    {"queue": "english"},
]


def bilingual(**options):
    engine = switchboard.Engine(**options)
    engine.add_queue(T0, "japanese")
    engine.add_queue(T0, "english")
    engine.set_entry_rules(T0, BILINGUAL)
    engine.drain_events()
    return engine


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


# --- Placing contacts ------------------------------------------------------------------------


def test_the_first_rule_a_contacts_attributes_meet_places_it():
    engine = bilingual()
    engine.add_contact(T0, "gold", attributes={"language": "ja", "tier": "gold"})
    engine.add_contact(T0, "plain", priority=5, priority_class=3, attributes={"language": "ja"})
    engine.add_contact(T0, "other", attributes={"language": "fr"})

    gold = engine.contact("gold")
    assert (gold["queue"], gold["priority"], gold["priority_class"]) == ("japanese", 2, 1)
    plain = engine.contact("plain")  # its rule sets neither: it keeps its own
    assert (plain["queue"], plain["priority"], plain["priority_class"]) == ("japanese", 5, 3)
    assert engine.contact("other")["queue"] == "english"

    events = engine.drain_events()
    matched = by_type(events, "entry_rule_matched")
    assert [(e["contact"], e["queue"], e["reason"]) for e in matched] == [
        ("gold", "japanese", f"rules[0]: {GOLD_JA}"),
        ("plain", "japanese", 'rules[1]: language == "ja"'),
        ("other", "english", "rules[3]: default"),
    ]
    assert (matched[0]["actor"], matched[0]["cause"], matched[0]["target"]) == (
        "host", "command", None)
    # The rule's event comes before the contact enters its queue.
    types = [e["type"] for e in events if e["contact"] == "gold"]
    assert types == ["entry_rule_matched", "contact_queued"]
    assert engine.queue_stats("japanese")["offered"] == 2
    assert engine.queue_stats("english")["offered"] == 1


def test_the_placed_contact_is_routed_in_its_rules_queue_by_its_rules_class():
    engine = bilingual()
    engine.add_agent(T0, "a1", queues=["japanese"])
    engine.add_contact(T0, "early", attributes={"language": "ja"})  # class 0
    engine.add_contact(T0 + 1, "vip", attributes={"language": "ja", "tier": "platinum"})
    engine.login(T0 + 2, "a1", ready=True)
    offered = only(engine.drain_events(), "contact_offered")
    assert (offered["contact"], offered["agent"]) == ("vip", "a1")  # the higher class first


def test_a_numeric_condition_and_the_contact_prefix():
    engine = switchboard.Engine()
    engine.add_queue(T0, "minors")
    engine.add_queue(T0, "adults")
    engine.set_entry_rules(T0, [{"when": "contact.age < 18", "queue": "minors"},
                                {"when": "age >= 18", "queue": "adults"}])
    engine.add_contact(T0, "c1", attributes={"age": 12})
    engine.add_contact(T0, "c2", attributes={"age": 40.5})
    assert engine.contact("c1")["queue"] == "minors"
    assert engine.contact("c2")["queue"] == "adults"
    with pytest.raises(switchboard.FailedPreconditionError):
        engine.add_contact(T0, "c3", attributes={"age": "twelve"})  # a str is no number


def test_a_rules_own_requirement_lets_only_agents_meeting_it_take_the_contact():
    engine = switchboard.Engine()
    engine.add_queue(T0, "general", requirement="support >= 1")
    engine.set_entry_rules(T0, [
        {"when": 'tier == "platinum"', "queue": "general", "requirement": "vip >= 1"},
        {"queue": "general"}])
    engine.add_agent(T0, "plain", skills={"support": 3})
    engine.login(T0, "plain", ready=True)
    engine.add_contact(T0 + 1, "p1", attributes={"tier": "platinum"})
    assert engine.contact("p1")["agent"] is None  # plain is free but not a VIP agent
    assert engine.queue_stats("general")["waiting"] == 1
    engine.add_agent(T0 + 2, "desk", skills={"support": 1, "vip": 1})
    engine.login(T0 + 2, "desk", ready=True)
    assert engine.contact("p1")["agent"] == "desk"
    engine.add_contact(T0 + 3, "o1", attributes={"tier": "gold"})
    assert engine.contact("o1")["agent"] == "plain"


def test_a_contact_that_names_its_queue_skips_the_rules():
    engine = bilingual()
    engine.add_contact(T0, "c1", "english", attributes={"language": "ja", "tier": "gold"})
    engine.add_contact(T0, "c2", queue="english", attributes={"ivr": "balance"})
    for contact in ("c1", "c2"):
        info = engine.contact(contact)
        assert (info["queue"], info["priority"], info["priority_class"]) == ("english", 0, 0)
    events = engine.drain_events()
    assert by_type(events, "entry_rule_matched") == []
    assert by_type(events, "contact_deflected") == []


def test_every_keyword_of_add_contact_still_works_without_a_queue():
    engine = bilingual()
    engine.add_agent(T0, "a1", capacity={"chat": 1}, queues=["english"])
    engine.login(T0, "a1")
    engine.add_contact(T0 + 1, "c1", None, channel="chat", priority=-3, priority_class=2,
                       attributes={"language": "de"}, arrival=T0 - 30, preferred_agent="a1",
                       preferred_timeout=20.0, actor="system")
    info = engine.contact("c1")
    assert (info["queue"], info["channel"], info["arrival"]) == ("english", "chat", T0 - 30)
    assert (info["priority"], info["priority_class"], info["attributes"]) == (
        -3, 2, {"language": "de"})
    matched = only(engine.drain_events(), "entry_rule_matched")
    assert (matched["actor"], matched["reason"]) == ("system", "rules[3]: default")
    # The queue by keyword and by position, as before.
    engine.add_contact(T0 + 1, "c2", queue="japanese")
    engine.add_contact(T0 + 1, "c3", "japanese", channel="chat")
    assert engine.contact("c2")["queue"] == engine.contact("c3")["queue"] == "japanese"


# --- Deflection at entry ---------------------------------------------------------------------


def test_a_rule_may_deflect_a_contact_at_once():
    engine = bilingual()
    engine.add_contact(T0, "c1", attributes={"ivr": "balance"})
    assert gone(engine, "c1")
    events = engine.drain_events()
    assert [e["type"] for e in events] == ["entry_rule_matched", "contact_deflected"]
    assert events[0]["reason"] == 'rules[2]: ivr == "balance"'
    deflected = events[1]
    assert (deflected["contact"], deflected["queue"], deflected["reason"]) == (
        "c1", "english", "entry_rule")
    assert (deflected["target"], deflected["outcome"]) == ("web", "deflected")
    stats = engine.queue_stats("english")
    assert (stats["offered"], stats["deflected"], stats["waiting"]) == (1, 1, 0)
    assert engine.next_deadline is None
    engine.add_contact(T0 + 1, "c1", "english")  # the id is free again


def test_a_deflection_without_a_queue_is_counted_in_no_queue():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    engine.set_entry_rules(T0, [{"when": "after_hours", "deflect": "voicemail_box"},
                                {"queue": "q"}])
    engine.add_contact(T0, "c1", attributes={"after_hours": 1})
    deflected = only(engine.drain_events(), "contact_deflected")
    assert (deflected["queue"], deflected["target"]) == (None, "voicemail_box")
    assert engine.queue_stats("q")["offered"] == 0


def test_deflections_are_counted_with_events_off_too():
    engine = bilingual(record_events=False)
    engine.add_contact(T0, "c1", attributes={"ivr": "balance"})
    assert engine.drain_events() == []
    assert engine.queue_stats("english")["deflected"] == 1


# --- No rule matches ---------------------------------------------------------------------------


def test_no_matching_rule_raises_failed_precondition_and_changes_nothing():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    engine.set_entry_rules(T0, [{"when": "vip", "queue": "q"}])
    engine.drain_events()
    for queue in (None, ""):
        with pytest.raises(switchboard.FailedPreconditionError) as error:
            engine.add_contact(T0, "c1", queue, attributes={"vip": 0})
        assert str(error.value) == (
            "contact 'c1' names no queue and no entry rule matches its attributes")
    assert gone(engine, "c1")
    assert engine.queue_stats("q")["offered"] == 0
    assert engine.drain_events() == []
    engine.add_contact(T0, "c1", attributes={"vip": "yes"})  # the id was never taken
    assert engine.contact("c1")["queue"] == "q"


def test_without_rules_a_contact_must_name_its_queue():
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    with pytest.raises(switchboard.FailedPreconditionError):
        engine.add_contact(T0, "c1")
    engine.set_entry_rules(T0, [{"queue": "q"}])
    engine.add_contact(T0, "c1")
    engine.set_entry_rules(T0, [])  # removes them
    with pytest.raises(switchboard.FailedPreconditionError):
        engine.add_contact(T0, "c2")
    assert engine.queue_stats("q")["offered"] == 1


# --- set_entry_rules itself ------------------------------------------------------------------


def test_new_rules_replace_the_old_and_take_any_iterable_and_an_actor():
    engine = bilingual()
    engine.set_entry_rules(T0 + 1, ({"queue": q} for q in ("japanese",)),
                           actor="supervisor:s1")
    assert engine.now == T0 + 1
    engine.add_contact(T0 + 1, "c1", attributes={"ivr": "balance"})
    assert engine.contact("c1")["queue"] == "japanese"
    engine.set_entry_rules(T0 + 1, ({"queue": "english"},))
    engine.add_contact(T0 + 1, "c2")
    assert engine.contact("c2")["queue"] == "english"
    with pytest.raises(switchboard.InvalidArgumentError, match="actor 'boss'"):
        engine.set_entry_rules(T0 + 2, [], actor="boss")


def test_numpy_ints_are_priorities():
    np = pytest.importorskip("numpy")
    engine = switchboard.Engine()
    engine.add_queue(T0, "q")
    engine.set_entry_rules(T0, [{"queue": "q", "priority": np.int64(-7),
                                 "priority_class": np.uint8(9)}])
    engine.add_contact(T0, "c1")
    info = engine.contact("c1")
    assert (info["priority"], info["priority_class"]) == (-7, 9)
    with pytest.raises(switchboard.InvalidArgumentError,
                       match=r"rules\[0\]\.priority: expected an int, got float64"):
        engine.set_entry_rules(T0, [{"queue": "q", "priority": np.float64(1)}])


OK = {"queue": "q"}

# Refused by the bindings: types, keys, values that do not apply.
BAD_RULES = [
    ("q", "rules: expected a list of rules (dicts), got str"),
    (b"q", "rules: expected a list of rules (dicts), got bytes"),
    (OK, "rules: expected a list of rules (dicts), got dict"),
    (None, "rules: expected a list of rules (dicts), got NoneType"),
    (5, "rules: expected a list of rules (dicts), got int"),
    ([5], 'rules[0]: expected a dict with "when", "queue", "priority", "priority_class", '
          '"requirement" and "deflect", got int'),
    ([OK, [("queue", "q")]], "rules[1]: expected a dict with"),
    ([OK, {**OK, "prio": 1}], "rules[1]: unknown key 'prio'; expected when, queue, priority, "
                              "priority_class, requirement, deflect"),
    ([{**OK, 7: 1}], "rules[0]: unknown key '7'"),
    ([{**OK, "when": 1}], "rules[0].when: expected a str, got int"),
    ([{**OK, "when": None}], "rules[0].when: expected a str, got NoneType"),
    ([{**OK, "when": b"vip"}], "rules[0].when: expected a str, got bytes"),
    ([{**OK, "when": "a\udcff"}], "rules[0].when: the str cannot be UTF-8"),
    ([{"queue": None}], "rules[0].queue: expected a str, got NoneType"),
    ([OK, {"queue": 3}], "rules[1].queue: expected a str, got int"),
    ([OK, {**OK, "priority": "2"}], "rules[1].priority: expected an int, got str"),
    ([{**OK, "priority": 1.0}], "rules[0].priority: expected an int, got float"),
    ([{**OK, "priority": True}], "rules[0].priority: expected an int, got bool"),
    ([{**OK, "priority": None}], "rules[0].priority: expected an int, got NoneType"),
    ([{**OK, "priority": 2**40}],
     "rules[0].priority: 1099511627776 is out of range (-2147483648..2147483647)"),
    ([{**OK, "priority_class": "1"}], "rules[0].priority_class: expected an int, got str"),
    ([{**OK, "priority_class": -2**63 - 1}],
     "rules[0].priority_class: an int beyond 64 bits is out of range"),
    ([{**OK, "deflect": 1}], "rules[0].deflect: expected a str, got int"),
    ([{**OK, "deflect": None}], "rules[0].deflect: expected a str, got NoneType"),
    ([{"deflect": "web", "priority": 1}],
     "rules[0].priority: only for a rule that places the contact in a queue (this one "
     "deflects it)"),
    ([{"deflect": "web", "queue": "q", "priority_class": 1}],
     "rules[0].priority_class: only for a rule that places the contact in a queue"),
]


def old_rules_in_force(engine):
    engine.add_contact(T0, "probe")
    assert engine.contact("probe")["queue"] == "old"


def engine_with_old_rules():
    engine = switchboard.Engine()
    engine.add_queue(T0, "old")
    engine.add_queue(T0, "q")
    engine.set_entry_rules(T0, [{"queue": "old"}])
    return engine


@pytest.mark.parametrize("rules, message", BAD_RULES,
                         ids=[message.split(":")[0] + " " + str(i)
                              for i, (_, message) in enumerate(BAD_RULES)])
def test_bad_rules_raise_invalid_argument_naming_the_element_and_key(rules, message):
    engine = engine_with_old_rules()
    with pytest.raises(switchboard.InvalidArgumentError) as error:
        engine.set_entry_rules(T0 + 1, rules)
    assert str(error.value).startswith(message), str(error.value)
    assert engine.now == T0  # refused before the engine saw the command
    old_rules_in_force(engine)


# The engine's own checks, with its messages (rules counted from 0, as the bindings count).
ENGINE_REFUSALS = [
    ([OK, {**OK, "when": 'tier in ["gold",]'}],
     "rules[1]: condition 'tier in [\"gold\",]': column 17: expected a string or a number, "
     "found ']'"),
    ([{**OK, "when": "agent.level > 1"}],
     "rules[0]: condition 'agent.level > 1': column 1: expected a contact attribute"),
    ([{**OK, "when": "(" * 100 + "vip" + ")" * 100}], "rules[0]: condition '"),
    ([OK, {"when": "vip"}], "rules[1]: names neither a queue nor a deflection target"),
    ([{"queue": "", "deflect": ""}], "rules[0]: names neither a queue nor a deflection"),
    ([OK, {**OK, "priority": 1001}], "rules[1].priority is 1001; expected -1000..1000"),
    ([{**OK, "priority": -1001}], "rules[0].priority is -1001; expected -1000..1000"),
    ([{**OK, "priority_class": -1}], "rules[0].priority_class is -1; expected 0..255"),
    ([{**OK, "priority_class": 256}], "rules[0].priority_class is 256; expected 0..255"),
    ([{"deflect": "x" * 4097}], "rules[0].deflect is 4097 bytes; expected at most 4096"),
    ([OK, {**OK, "requirement": "vip >="}], "rules[1].requirement: "),
    ([{"deflect": "web", "requirement": "vip"}],
     "rules[0]: a requirement does not apply to a deflection"),
    ([OK] * 4097, "4097 entry rules; expected at most 4096"),
]


@pytest.mark.parametrize("rules, message", ENGINE_REFUSALS,
                         ids=[str(i) for i in range(len(ENGINE_REFUSALS))])
def test_values_the_engine_refuses_raise_its_message_and_keep_the_old_rules(rules, message):
    engine = engine_with_old_rules()
    with pytest.raises(switchboard.InvalidArgumentError) as error:
        engine.set_entry_rules(T0, rules)
    assert str(error.value).startswith(message), str(error.value)
    old_rules_in_force(engine)


def test_an_unknown_queue_is_not_found_with_the_engines_message():
    engine = engine_with_old_rules()
    with pytest.raises(switchboard.NotFoundError) as error:
        engine.set_entry_rules(T0, [OK, {"when": "vip", "queue": "nowhere"}])
    assert str(error.value) == "rules[1]: unknown queue 'nowhere'"
    old_rules_in_force(engine)


def test_the_limits_are_inclusive():
    engine = engine_with_old_rules()
    engine.set_entry_rules(T0, [{"when": f"n == {i}", "queue": "q", "priority": 1000,
                                 "priority_class": 255} for i in range(4095)]
                           + [{"queue": "q", "priority": -1000, "priority_class": 0}])
    engine.add_contact(T0, "c1", attributes={"n": 4094})
    assert engine.contact("c1")["priority_class"] == 255
    engine.add_contact(T0, "c2")
    assert engine.contact("c2")["priority"] == -1000
    matched = by_type(engine.drain_events(), "entry_rule_matched")
    assert [e["reason"] for e in matched] == ["rules[4094]: n == 4094", "rules[4095]: default"]


# --- Stubs --------------------------------------------------------------------------------------


def test_the_stubs_entry_rule_has_the_keys_the_bindings_accept():
    fields = None
    event_types = None
    for node in stub_tree().body:
        if isinstance(node, ast.ClassDef) and node.name == "EntryRule":
            fields = tuple(n.target.id for n in node.body if isinstance(n, ast.AnnAssign))
        if isinstance(node, ast.Assign) and node.targets[0].id == "EventTypeName":
            event_types = tuple(e.value for e in node.value.slice.elts)
    engine = switchboard.Engine()
    with pytest.raises(switchboard.InvalidArgumentError) as refused:
        engine.set_entry_rules(T0, [{"x": 1}])
    assert fields == tuple(str(refused.value).split("; expected ")[1].split(", "))
    assert "entry_rule_matched" in event_types
    engine = bilingual()
    engine.add_contact(T0, "c1", attributes={"language": "ja"})
    engine.add_contact(T0, "c2", attributes={"ivr": "balance"})
    events = engine.drain_events()
    assert {"entry_rule_matched", "contact_deflected"} <= {e["type"] for e in events}
    assert all(e["type"] in event_types for e in events)
