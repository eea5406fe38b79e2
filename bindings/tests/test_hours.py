"""Opening hours from Python: add_queue(hours=..., zone=..., closed_on=..., hours_on=...), the
"closed" overflow trigger, the events queue_opened / queue_closed and queue_stats()["open"]."""

import datetime

import pytest

import switchboard

NEW_YORK = "America/New_York"
OFFICE = {"mon-fri": "09:00-17:00"}


def utc(year, month, day, hour=0, minute=0):
    """Unix seconds of a UTC wall-clock time (expected instants are written out in UTC, not
    derived from a time-zone library)."""
    return datetime.datetime(year, month, day, hour, minute,
                             tzinfo=datetime.timezone.utc).timestamp()


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


def changes(engine, queue, count):
    """The next `count` opening-hours events of `queue` as (type, time), advancing from deadline
    to deadline (None once no deadline is left)."""
    seen = []
    while len(seen) < count and engine.next_deadline is not None:
        engine.advance_to(engine.next_deadline)
        seen += [(e["type"], e["time"]) for e in engine.drain_events()
                 if e["type"] in ("queue_opened", "queue_closed") and e["queue"] == queue]
    return seen


# --- Open and closed --------------------------------------------------------------------------


def test_a_closed_queue_sends_an_arrival_to_its_closed_rule_even_with_an_agent_free():
    now = utc(2026, 3, 6, 23)  # Friday 18:00 EST: closed
    engine = switchboard.Engine()
    engine.add_queue(now, "q", hours=OFFICE, zone=NEW_YORK,
                     overflow=[{"when": "closed", "action": "voicemail"}])
    engine.add_agent(now, "a1")
    engine.login(now, "a1", ready=True)
    assert engine.queue_stats("q")["open"] is False
    engine.drain_events()

    engine.add_contact(now, "c1", "q")
    event = only(engine.drain_events(), "contact_voicemail")
    assert (event["contact"], event["queue"], event["reason"]) == ("c1", "q", "closed")
    assert (event["actor"], event["cause"], event["outcome"]) == ("host", "command", "voicemail")
    assert gone(engine, "c1")
    assert engine.agent_stats("a1")["state"] == "available"
    stats = engine.queue_stats("q")
    assert (stats["offered"], stats["voicemail"], stats["overflowed"]) == (1, 1, 1)


def test_stats_say_whether_the_queue_is_open_and_a_queue_without_hours_always_is():
    engine = switchboard.Engine()
    saturday = utc(2026, 3, 7, 12)
    engine.add_queue(saturday, "always")
    engine.add_queue(saturday, "weekdays", hours={"mon-fri": "00:00-24:00"})  # zone UTC
    engine.add_queue(saturday, "never", hours={})
    engine.add_queue(saturday, "weekends", hours={"sat-sun": "00:00-24:00"})
    assert [engine.queue_stats(q)["open"] for q in ("always", "weekdays", "never", "weekends")] \
        == [True, False, False, True]
    # The one change ahead: Monday 00:00 UTC, when "weekdays" opens and "weekends" closes.
    assert engine.next_deadline == utc(2026, 3, 9)
    engine.drain_events()
    engine.advance_to(utc(2026, 3, 9))
    events = engine.drain_events()
    assert [(e["type"], e["queue"]) for e in events] == [
        ("queue_opened", "weekdays"), ("queue_closed", "weekends")]
    assert all((e["actor"], e["cause"], e["contact"], e["reason"]) ==
               ("system", "opening_hours", None, None) for e in events)
    assert engine.queue_stats("weekdays")["open"] and not engine.queue_stats("weekends")["open"]
    assert engine.queue_stats("never")["open"] is False
    assert engine.queue_stats("always")["open"] is True


def test_closing_time_across_daylight_saving_applies_the_rule_to_those_waiting():
    engine = switchboard.Engine()
    now = utc(2026, 3, 6, 21)  # Friday 16:00 EST: open
    engine.add_queue(now, "q", hours=OFFICE, zone=NEW_YORK, overflow=[
        {"when": "closed", "action": "disconnect", "reason": "after_hours"}])
    assert engine.queue_stats("q")["open"] is True
    engine.add_contact(now, "c1", "q")  # no agent: they wait
    engine.add_contact(now + 60, "c2", "q")
    assert engine.next_deadline == utc(2026, 3, 6, 22)  # 17:00 EST

    engine.advance_to(utc(2026, 3, 6, 22))
    events = engine.drain_events()
    assert [e["type"] for e in events][-3:] == [
        "queue_closed", "contact_disconnected", "contact_disconnected"]
    closed = only(events, "queue_closed")
    assert (closed["queue"], closed["time"], closed["cause"]) == (
        "q", utc(2026, 3, 6, 22), "opening_hours")
    ended = by_type(events, "contact_disconnected")
    assert [(e["contact"], e["reason"], e["cause"], e["wait_s"]) for e in ended] == [
        ("c1", "after_hours", "opening_hours", 3600.0),
        ("c2", "after_hours", "opening_hours", 3540.0)]
    assert engine.queue_stats("q")["open"] is False

    # Clocks go forward on Sunday 8 March: Monday's 09:00 is EDT, 13:00 UTC (not 14:00).
    assert engine.next_deadline == utc(2026, 3, 9, 13)
    engine.advance_to(utc(2026, 3, 9, 13))
    assert only(engine.drain_events(), "queue_opened")["time"] == utc(2026, 3, 9, 13)
    engine.add_contact(utc(2026, 3, 9, 13), "c3", "q")
    assert not gone(engine, "c3")
    # And it closes at 17:00 EDT, 21:00 UTC.
    assert engine.next_deadline == utc(2026, 3, 9, 21)


def test_the_days_daylight_saving_changes_follow_the_local_wall_clock():
    engine = switchboard.Engine()
    engine.add_queue(utc(2026, 3, 7), "q", zone=NEW_YORK, hours={}, hours_on={
        "2026-03-08": "01:00-02:30",  # 02:30 does not exist: it means 03:00 EDT
        "2026-11-01": "00:00-24:00",  # a day of 25 hours
    })
    assert [e["type"] for e in engine.drain_events()] == ["queue_added", "queue_closed"]
    assert changes(engine, "q", 5) == [
        ("queue_opened", utc(2026, 3, 8, 6)),  # 01:00 EST
        ("queue_closed", utc(2026, 3, 8, 7)),  # 03:00 EDT: open one real hour
        ("queue_opened", utc(2026, 11, 1, 4)),  # 00:00 EDT
        ("queue_closed", utc(2026, 11, 2, 5)),  # 00:00 EST the next day
    ]
    assert engine.next_deadline is None  # closed for good


def test_closed_on_and_hours_on_change_single_dates():
    engine = switchboard.Engine()
    engine.add_queue(
        utc(2026, 12, 23, 18), "q",  # Wednesday, after hours; zone UTC
        hours={"mon-fri": ["09:00-12:00", "13:00-17:00"]},
        closed_on=["2026-12-25", datetime.date(2027, 1, 1)],
        hours_on={datetime.date(2026, 12, 24): "09:00-12:00", "2026-12-26": [],
                  "2026-12-27": ["10:00-11:00"]})
    engine.drain_events()  # queue_added, queue_closed: added outside its hours
    assert changes(engine, "q", 8) == [
        ("queue_opened", utc(2026, 12, 24, 9)),
        ("queue_closed", utc(2026, 12, 24, 12)),  # Christmas Eve: mornings only
        ("queue_opened", utc(2026, 12, 27, 10)),  # Christmas closed; a Sunday opened
        ("queue_closed", utc(2026, 12, 27, 11)),
        ("queue_opened", utc(2026, 12, 28, 9)),
        ("queue_closed", utc(2026, 12, 28, 12)),
        ("queue_opened", utc(2026, 12, 28, 13)),
        ("queue_closed", utc(2026, 12, 28, 17)),
    ]


def test_day_ranges_wrap_past_sunday_and_touching_ranges_are_one_period():
    engine = switchboard.Engine()
    engine.add_queue(utc(2026, 3, 6, 12), "q", hours={   # a Friday noon
        "fri-mon": ("18:00-24:00",),                   # Friday, Saturday, Sunday, Monday
        "tue": (r for r in ["06:00-08:00", "00:00-06:00"]),  # any iterable, in any order
    })
    engine.drain_events()  # queue_added, queue_closed: added outside its hours
    assert changes(engine, "q", 8) == [
        ("queue_opened", utc(2026, 3, 6, 18)),
        ("queue_closed", utc(2026, 3, 7)),
        ("queue_opened", utc(2026, 3, 7, 18)),
        ("queue_closed", utc(2026, 3, 8)),
        ("queue_opened", utc(2026, 3, 8, 18)),
        ("queue_closed", utc(2026, 3, 9)),
        ("queue_opened", utc(2026, 3, 9, 18)),
        ("queue_closed", utc(2026, 3, 10, 8)),  # Monday 18:00 to Tuesday 08:00 in one
    ]


def test_a_closed_rule_may_transfer_to_a_queue_that_is_open():
    now = utc(2026, 3, 7, 12)  # Saturday
    engine = switchboard.Engine()
    engine.add_queue(now, "night")
    engine.add_queue(now, "day", hours=OFFICE, requirement="day >= 1", overflow=[
        {"when": "closed", "action": "transfer", "target": "night"}])
    engine.add_agent(now, "n1", queues=["night"])
    engine.login(now, "n1", ready=True)
    engine.add_contact(now, "c1", "day")
    moved = only(engine.drain_events(), "contact_transferred")
    assert (moved["queue"], moved["target"], moved["reason"]) == ("day", "night", "closed")
    assert engine.contact("c1")["agent"] == "n1"


def test_a_closed_queue_without_a_closed_rule_routes_as_an_open_one():
    now = utc(2026, 3, 7, 12)  # Saturday
    engine = switchboard.Engine()
    engine.add_queue(now, "q", hours=OFFICE, overflow=[
        {"when": "wait", "wait": 60, "action": "voicemail"}])
    engine.add_agent(now, "a1")
    engine.login(now, "a1", ready=True)
    engine.add_contact(now, "c1", "q")
    assert engine.queue_stats("q")["open"] is False
    assert engine.contact("c1")["agent"] == "a1"


def test_a_contact_the_closed_rule_leaves_waiting_is_routed_as_in_an_open_queue():
    now = utc(2026, 3, 6, 23)  # Friday 18:00 EST: closed
    engine = switchboard.Engine()
    engine.add_queue(now, "q", hours=OFFICE, zone=NEW_YORK, overflow=[
        {"when": "closed", "action": "deflect", "target": "web", "ask": True}])
    engine.add_agent(now, "a1")
    engine.login(now, "a1", ready=True)
    engine.add_contact(now, "c1", "q")
    # Asked first; while the customer has not answered, a1 (free) may take it.
    types = [e["type"] for e in engine.drain_events()]
    assert types.index("overflow_offered") < types.index("contact_offered")
    assert engine.contact("c1")["agent"] == "a1"


# --- Bad hours: each message names the argument and key ---------------------------------------

# add_queue(**kwargs) and the start of the InvalidArgumentError's message (the bindings' checks,
# with the C++ parsers' messages after the key).
BAD_HOURS = [
    ({"hours": ["mon-fri", "09:00-17:00"]}, "hours: expected a dict of days -> ranges, e.g. "
                                            "{\"mon-fri\": [\"09:00-12:00\", \"13:00-18:00\"], "
                                            "\"sat\": \"10:00-13:00\"}, got list"),
    ({"hours": "mon-fri 09:00-17:00"}, "hours: expected a dict of days -> ranges"),
    ({"hours": {"mon-fry": "09:00-17:00"}},
     "hours['mon-fry']: days 'mon-fry': expected a day (mon..sun) or a range of days such as "
     "'mon-fri'"),
    ({"hours": {"Mon": "09:00-17:00"}}, "hours['Mon']: days 'Mon': expected a day (mon..sun)"),
    ({"hours": {"monday": "09:00-17:00"}}, "hours['monday']: days 'monday': expected a day"),
    ({"hours": {"mon-mon": "09:00-17:00"}},
     "hours['mon-mon']: days 'mon-mon': a range of days needs two different days; for one day "
     "write 'mon'"),
    ({"hours": {1: "09:00-17:00"}}, "hours[1]: expected a str key, a day (mon..sun) or a range "
                                    "of days such as 'mon-fri', got int"),
    ({"hours": {"mon\udcff": "09:00-17:00"}},
     "hours['mon\\udcff']: the str cannot be UTF-8 (it holds a lone surrogate)"),
    ({"hours": {"mon-fri": "09:00-17:00", "wed": "10:00-11:00"}},
     "hours['wed']: wed is also in hours['mon-fri']; give each day once"),
    ({"hours": {"sat": [], "fri-mon": "18:00-24:00"}},
     "hours['fri-mon']: sat is also in hours['sat']"),
    ({"hours": {"mon": None}},
     "hours['mon']: expected a range \"HH:MM-HH:MM\" or a list of them, got NoneType"),
    ({"hours": {"mon": 9}}, "hours['mon']: expected a range \"HH:MM-HH:MM\" or a list of them, "
                            "got int"),
    ({"hours": {"mon": b"09:00-17:00"}}, "hours['mon']: expected a range \"HH:MM-HH:MM\" or a "
                                         "list of them, got bytes"),
    ({"hours": {"mon": {"09:00": "17:00"}}}, "hours['mon']: expected a range \"HH:MM-HH:MM\" or "
                                             "a list of them, got dict"),
    ({"hours": {"mon": ["09:00-12:00", 13]}},
     "hours['mon'][1]: expected a range \"HH:MM-HH:MM\", got int"),
    ({"hours": {"mon": "9-17"}}, "hours['mon']: expected HH:MM-HH:MM, found '9-17'"),
    ({"hours": {"mon-fri": ["09:00-12:00", "13:00-18:00", "9:00-10:00"]}},
     "hours['mon-fri'][2]: expected HH:MM-HH:MM, found '9:00-10:00'"),
    ({"hours": {"mon": "09:00-24:01"}}, "hours['mon']: expected HH:MM-HH:MM with times from "
                                        "00:00 to 24:00, found '09:00-24:01'"),
    ({"hours": {"mon": "09:60-10:00"}}, "hours['mon']: expected HH:MM-HH:MM with times from "
                                        "00:00 to 24:00, found '09:60-10:00'"),
    ({"hours": {"mon": "09:00\udcff17:00"}}, "hours['mon']: the str cannot be UTF-8"),
    ({"hours": OFFICE, "zone": 1}, "zone: expected a str, got int"),
    ({"hours": OFFICE, "zone": b"UTC"}, "zone: expected a str, got bytes"),
    ({"zone": "UTC"}, "zone: only with hours (a queue without hours is always open)"),
    ({"closed_on": []}, "closed_on: only with hours (a queue without hours is always open)"),
    ({"hours_on": {}}, "hours_on: only with hours (a queue without hours is always open)"),
    ({"hours": OFFICE, "closed_on": "2026-01-01"},
     "closed_on: expected a list of dates, got str"),
    ({"hours": OFFICE, "closed_on": 20260101}, "closed_on: expected a list of dates, got int"),
    ({"hours": OFFICE, "closed_on": ["2026-01-01", "2026-1-2"]},
     "closed_on[1]: expected a date YYYY-MM-DD, found '2026-1-2'"),
    ({"hours": OFFICE, "closed_on": ["2026-02-29"]},
     "closed_on[0]: date '2026-02-29' does not exist"),
    ({"hours": OFFICE, "closed_on": [20260101]},
     "closed_on[0]: expected a date \"YYYY-MM-DD\" or a datetime.date, got int"),
    ({"hours": OFFICE, "closed_on": [datetime.datetime(2026, 1, 1, 12)]},
     "closed_on[0]: expected a date \"YYYY-MM-DD\" or a datetime.date, got datetime"),
    ({"hours": OFFICE, "closed_on": ["2026-01-01", datetime.date(2026, 1, 1)]},
     "closed_on[1]: date 2026-01-01 is also in closed_on[0]"),
    ({"hours": OFFICE, "hours_on": ["2026-12-24", "09:00-12:00"]},
     "hours_on: expected a dict of dates -> ranges, e.g. {\"2026-12-24\": [\"09:00-12:00\"]}, "
     "got list"),
    ({"hours": OFFICE, "hours_on": {"24/12/2026": "09:00-12:00"}},
     "hours_on['24/12/2026']: expected a date YYYY-MM-DD, found '24/12/2026'"),
    ({"hours": OFFICE, "hours_on": {"2026-13-01": "09:00-12:00"}},
     "hours_on['2026-13-01']: date '2026-13-01' does not exist"),
    ({"hours": OFFICE, "hours_on": {"2026-12-24": "9-12"}},
     "hours_on['2026-12-24']: expected HH:MM-HH:MM, found '9-12'"),
    ({"hours": OFFICE, "hours_on": {"2026-12-24": None}},
     "hours_on['2026-12-24']: expected a range \"HH:MM-HH:MM\" or a list of them, got NoneType"),
    ({"hours": OFFICE, "closed_on": ["2026-12-24"], "hours_on": {"2026-12-24": []}},
     "hours_on['2026-12-24']: date 2026-12-24 is also in closed_on[0]"),
    ({"hours": OFFICE, "hours_on": {"2026-12-24": [], datetime.date(2026, 12, 24): []}},
     "hours_on[datetime.date(2026, 12, 24)]: date 2026-12-24 is also in "
     "hours_on['2026-12-24']"),
]


@pytest.mark.parametrize("kwargs, message", BAD_HOURS,
                         ids=[message.split(":")[0] + " " + str(i)
                              for i, (_, message) in enumerate(BAD_HOURS)])
def test_bad_hours_raise_invalid_argument_naming_the_argument_and_key(kwargs, message):
    engine = switchboard.Engine()
    with pytest.raises(switchboard.InvalidArgumentError) as error:
        engine.add_queue(utc(2026, 3, 6), "q", **kwargs)
    assert str(error.value).startswith(message), str(error.value)
    with pytest.raises(switchboard.NotFoundError):
        engine.queue_stats("q")


# The engine's own checks (OpeningSchedule::Create, AddQueue), with its messages: they name the
# day (not the key that gave it) or the date.
ENGINE_REFUSALS = [
    ({"hours": {"mon-fri": "12:00-09:00"}},
     "queue 'q': hours: mon: range 12:00-09:00 ends before it starts"),
    ({"hours": {"tue": "10:00-10:00"}}, "queue 'q': hours: tue: range 10:00-10:00 is empty"),
    ({"hours": {"wed": ["09:00-12:00", "11:00-13:00"]}},
     "queue 'q': hours: wed: ranges 09:00-12:00 and 11:00-13:00 overlap"),
    ({"hours": {}, "hours_on": {"2026-12-24": ["09:00-12:00", "11:30-12:30"]}},
     "queue 'q': hours: 2026-12-24: ranges 09:00-12:00 and 11:30-12:30 overlap"),
    ({"hours": OFFICE, "zone": "Mars/Base"}, "queue 'q': unknown time zone 'Mars/Base'"),
    ({"hours": OFFICE, "zone": ""}, "queue 'q': unknown time zone ''"),
    ({"hours": OFFICE, "zone": "/usr/share/zoneinfo/UTC"},
     "queue 'q': unknown time zone '/usr/share/zoneinfo/UTC'"),
    ({"hours": OFFICE, "zone": "../zoneinfo/UTC"},
     "queue 'q': unknown time zone '../zoneinfo/UTC'"),
    ({"overflow": [{"when": "closed", "action": "voicemail"}]},
     "queue 'q': overflow[0]: the closed trigger needs the queue's opening hours (hours)"),
]


@pytest.mark.parametrize("kwargs, message", ENGINE_REFUSALS,
                         ids=[str(i) for i in range(len(ENGINE_REFUSALS))])
def test_hours_the_engine_refuses_raise_its_message(kwargs, message):
    engine = switchboard.Engine()
    with pytest.raises(switchboard.InvalidArgumentError) as error:
        engine.add_queue(utc(2026, 3, 6), "q", **kwargs)
    assert str(error.value) == message
    with pytest.raises(switchboard.NotFoundError):
        engine.queue_stats("q")


def test_the_arguments_are_left_as_they_were():
    hours = {"mon-fri": ["09:00-12:00", "13:00-18:00"], "sat": "10:00-13:00"}
    closed_on = ["2026-12-25"]
    hours_on = {"2026-12-24": ["09:00-12:00"]}
    engine = switchboard.Engine()
    engine.add_queue(utc(2026, 3, 6), "q", hours=hours, zone="Europe/Paris",
                     closed_on=closed_on, hours_on=hours_on)
    assert hours == {"mon-fri": ["09:00-12:00", "13:00-18:00"], "sat": "10:00-13:00"}
    assert closed_on == ["2026-12-25"] and hours_on == {"2026-12-24": ["09:00-12:00"]}


def test_a_key_whose_repr_takes_it_out_of_the_dict_is_still_read_whole():
    hours = {}

    class Key(str):
        def __repr__(self):
            hours.clear()  # the dict's reference was the last one besides this call's
            return "Key('mon')"

    hours[Key("mon")] = "09:00-10:00"
    engine = switchboard.Engine()
    engine.add_queue(utc(2026, 3, 6), "q", hours=hours)  # a Friday
    assert engine.next_deadline == utc(2026, 3, 9, 9)  # Monday 09:00
