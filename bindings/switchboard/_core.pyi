"""Type stubs of switchboard._core, the compiled part of the package (bindings/src)."""

import datetime
import enum
import os
from typing import (Any, Callable, Iterator, Literal, Mapping, Optional, Sequence, TypedDict,
                    Union)

__version__: str

# --- Errors (bindings/src/status.h): str(e) is the Status message (bytes that are not UTF-8
# shown as \xNN). A C++ std::bad_alloc is a MemoryError; a method of an object whose __init__
# never ran (Engine.__new__(Engine)) raises TypeError. ---

class Error(Exception): ...
class InvalidArgumentError(Error, ValueError): ...
class NotFoundError(Error, KeyError): ...
class AlreadyExistsError(Error): ...
class FailedPreconditionError(Error): ...
class OutOfRangeError(Error): ...
class ResourceExhaustedError(Error): ...

# --- Engine ---

# The names the engine uses (test_engine.py checks them against the engine's own lists).
# EventTypeName: the str values of EventType (below).
Strategy = Literal["longest_idle", "most_skilled", "least_occupied", "fewest_contacts",
                   "round_robin", "random", "host_score"]
ChannelName = Literal["voice", "chat", "email", "sms", "social", "web", "fax", "callback",
                      "outbound"]
EventTypeName = Literal["queue_added", "agent_added", "agent_state_changed", "agent_pending_change",
                    "contact_queued", "contact_rejected", "contact_offered", "offer_accepted",
                    "offer_rejected", "offer_timed_out", "offer_withdrawn", "contact_held",
                    "contact_resumed", "contact_completed", "wrap_up_started",
                    "wrap_up_extended", "wrap_up_ended", "contact_abandoned", "contact_removed",
                    "preferred_timed_out", "contact_requirement_changed", "overflow_offered",
                    "overflow_declined", "contact_transferred", "contact_copied", "transfer_limit_hit",
                    "transfer_target_full", "contact_deflected", "contact_voicemail", "contact_disconnected",
                    "callback_accepted", "callback_scheduled", "callback_due",
                    "callback_dialing", "callback_connected", "callback_attempt_failed",
                    "callback_failed", "entry_rule_matched", "queue_opened", "queue_closed",
                    "hold_limit_reached", "agent_updated", "agent_removed", "queue_updated",
                    "queue_removed", "contact_priority_changed", "contact_assigned",
                    "consult_started", "consult_completed", "consult_cancelled",
                    "agent_routable_changed", "reserve_activated", "reserve_deactivated"]
Cause = Literal["command", "routing", "offer_timeout", "wrap_up_timeout", "missed_offer_delay",
                "preferred_timeout", "pending_change", "requirement_step", "overflow",
                "callback_due", "opening_hours", "hold_limit", "reserve_check"]
AgentState = Literal["logged_out", "not_ready", "available", "reserved", "busy", "wrap_up"]
ContactState = Literal["waiting", "offered", "connected", "on_hold", "dialing", "wrap_up"]
ContactOutcome = Literal["completed", "abandoned", "removed", "rejected", "deflected",
                         "voicemail", "disconnected", "callback_failed"]
OverflowTrigger = Literal["wait", "queue_length", "estimated_wait", "no_agents", "closed"]
OverflowAction = Literal["transfer", "callback", "deflect", "voicemail", "disconnect", "copy"]
CallbackMode = Literal["keep_place", "scheduled"]
CallbackResult = Literal["connected", "no_answer", "busy"]

# A time: Unix seconds or an aware datetime.datetime (a naive one raises InvalidArgumentError);
# a duration: seconds or a datetime.timedelta. Exact to the microsecond. Outputs are floats.
Time = Union[float, datetime.datetime]
Duration = Union[float, datetime.timedelta]

AttributeValue = Union[str, float]
WrapUp = Union[None, float, datetime.timedelta, str,
               Mapping[str, Union[str, float, datetime.timedelta]]]
# A queue id, or {"queue": id, "priority": int, "delay": Duration, "reserve": bool}.
Membership = Union[str, Mapping[str, Union[str, int, float, bool, datetime.timedelta]]]
# Opening hours: "HH:MM-HH:MM" ("24:00" ends the day), or a list of them (empty: closed).
Ranges = Union[str, Sequence[str]]
# A date: "YYYY-MM-DD" or a datetime.date (not a datetime.datetime).
Date = Union[str, datetime.date]

class CallbackPolicy(TypedDict, total=False):
    mode: CallbackMode  # default "keep_place"
    after: Duration  # scheduled: seconds until it is routed; > 0
    priority: int  # scheduled: the callback contact's priority
    retries: int  # dial attempts after a failed first one; 0..10, default 0
    retry_after: Duration  # seconds between attempts; > 0, default 600

# add_queue(overflow=[...]): "when" and "action" are required; a key that does not apply to the
# rule's trigger, action or callback mode raises InvalidArgumentError.
class OverflowRule(TypedDict, total=False):
    when: OverflowTrigger  # "closed" needs the queue's hours
    wait: Duration  # when "wait" (> 0) or "estimated_wait" (>= 0): seconds
    queue_length: int  # when "queue_length": contacts already waiting; >= 0
    action: OverflowAction
    target: str  # transfer, copy: a queue added before; deflect: where the host sends the customer
    look_ahead: bool  # transfer: only to a queue with a shorter estimated wait
    ask: bool  # callback, deflect: ask first (overflow_offered, then answer_overflow)
    reason: str  # disconnect, voicemail: the event's reason; default the trigger's name
    callback: CallbackPolicy  # action "callback"

# add_queue(reserve={...}): when the queue's reserve agents (queues=[{"queue": id, "reserve":
# True}]) take its contacts. At least one of activate_below and activate_wait; the engine checks
# the ranges, naming the field ("queue 'q': reserve.deactivate_at is 0.7; expected 0.8..1"). An
# unknown key raises InvalidArgumentError.
class ReservePolicy(TypedDict, total=False):
    activate_below: float  # active when the service level over window is below; 0..1, 0: not used
    deactivate_at: float  # inactive again once the service level is at least; activate_below..1
    activate_wait: Duration  # active when the oldest contact has waited this; 0: not used
    deactivate_wait: Duration  # inactive again once the oldest wait is at most; 0..activate_wait
    window: Duration  # of the service level; > 0, at most 24 h; default 900
    check_every: Duration  # the grid of checks, from the Unix epoch; 1 s..1 h; default 5

# set_entry_rules([...]): the first rule whose "when" a contact's attributes meet places a contact
# that names no queue. A rule needs "queue" or "deflect"; a key given as None, or priority /
# priority_class with deflect, raises InvalidArgumentError.
class EntryRule(TypedDict, total=False):
    when: str  # a condition on the contact's attributes, e.g. 'tier in ["gold"]'; "": every contact
    queue: str  # the queue it enters (added before)
    priority: int  # instead of the contact's own; -1000..1000
    priority_class: int  # instead of the contact's own; 0..255
    requirement: str  # the contact's own, e.g. 'team == "vip"', met with the queue's; not with deflect
    deflect: str  # where the host sends the customer: no queue, event contact_deflected

# What the engine returns: typed, read-only records that also read as a Mapping of the same keys
# (record["key"], get, keys, values, items, iteration, len, in, dict(record)); == compares with
# any Mapping by to_dict(). Unhashable. Times are float Unix seconds, durations float seconds.
class _Record(Mapping[str, Any]):
    def __getitem__(self, key: str) -> Any: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def keys(self) -> list[str]: ...  # type: ignore[override]
    def values(self) -> list[Any]: ...  # type: ignore[override]
    def items(self) -> list[tuple[str, Any]]: ...  # type: ignore[override]
    def to_dict(self) -> dict[str, Any]: ...  # plain: nested records as dicts, enums as str

# The type of an Event: a str enum made from the engine's own names, so members equal their
# names (EventType.contact_offered == "contact_offered") and a misspelt member raises
# AttributeError. A StrEnum on Python 3.11+ (str() is the value).
class EventType(str, enum.Enum):
    queue_added = "queue_added"
    agent_added = "agent_added"
    agent_state_changed = "agent_state_changed"
    agent_pending_change = "agent_pending_change"
    contact_queued = "contact_queued"
    contact_rejected = "contact_rejected"
    contact_offered = "contact_offered"
    offer_accepted = "offer_accepted"
    offer_rejected = "offer_rejected"
    offer_timed_out = "offer_timed_out"
    offer_withdrawn = "offer_withdrawn"
    contact_held = "contact_held"
    contact_resumed = "contact_resumed"
    contact_completed = "contact_completed"
    wrap_up_started = "wrap_up_started"
    wrap_up_extended = "wrap_up_extended"
    wrap_up_ended = "wrap_up_ended"
    contact_abandoned = "contact_abandoned"
    contact_removed = "contact_removed"
    preferred_timed_out = "preferred_timed_out"
    contact_requirement_changed = "contact_requirement_changed"
    overflow_offered = "overflow_offered"
    overflow_declined = "overflow_declined"
    contact_transferred = "contact_transferred"
    contact_copied = "contact_copied"
    transfer_limit_hit = "transfer_limit_hit"
    transfer_target_full = "transfer_target_full"
    contact_deflected = "contact_deflected"
    contact_voicemail = "contact_voicemail"
    contact_disconnected = "contact_disconnected"
    callback_accepted = "callback_accepted"
    callback_scheduled = "callback_scheduled"
    callback_due = "callback_due"
    callback_dialing = "callback_dialing"
    callback_connected = "callback_connected"
    callback_attempt_failed = "callback_attempt_failed"
    callback_failed = "callback_failed"
    entry_rule_matched = "entry_rule_matched"
    queue_opened = "queue_opened"
    queue_closed = "queue_closed"
    hold_limit_reached = "hold_limit_reached"
    agent_updated = "agent_updated"
    agent_removed = "agent_removed"
    queue_updated = "queue_updated"
    queue_removed = "queue_removed"
    contact_priority_changed = "contact_priority_changed"
    contact_assigned = "contact_assigned"
    consult_started = "consult_started"
    consult_completed = "consult_completed"
    consult_cancelled = "consult_cancelled"
    agent_routable_changed = "agent_routable_changed"
    reserve_activated = "reserve_activated"
    reserve_deactivated = "reserve_deactivated"

class Event(_Record):
    sequence: int
    time: float
    type: EventType  # a str enum: event["type"] == "contact_offered" holds too
    actor: str
    cause: Cause
    contact: Optional[str]
    agent: Optional[str]
    queue: Optional[str]
    channel: Optional[ChannelName]
    from_state: Optional[AgentState]
    to_state: Optional[AgentState]
    # Overflow events: the trigger's name (contact_voicemail, contact_disconnected: the rule's
    # reason); overflow_offered: the action offered, "callback" or "deflect";
    # entry_rule_matched: "rules[N]: <when>" or "rules[N]: default" (N from 0); contact_deflected
    # by an entry rule: "entry_rule"; contact_completed: the disposition, if one was given;
    # reserve_activated / reserve_deactivated: the measures that decided, e.g.
    # "service_level=0.62 oldest_wait=1m15s" ("no reserve policy" when a command removed it).
    reason: Optional[str]
    # contact_transferred, transfer_limit_hit, transfer_target_full: the target queue;
    # contact_deflected: where the customer goes (its queue is None when an entry rule without
    # a queue deflected it); overflow_offered: the deflection's target (None for a callback).
    target: Optional[str]
    outcome: Optional[ContactOutcome]
    deadline: Optional[float]
    wait_s: Optional[float]  # reserve_activated / reserve_deactivated by a check: oldest wait
    ewt_s: Optional[float]  # contact_queued: the estimated wait (0 when offered at once)

class QueueStats(_Record):
    queue: str
    open: bool  # within its opening hours now (always True without hours)
    waiting: int
    longest_wait_s: float
    offered: int
    rejected: int
    answered: int
    answered_within_threshold: int
    abandoned: int
    removed: int
    completed: int
    offers: int
    offers_missed: int
    overflowed: int  # left through an overflow rule, whatever its action; also entry deflections
    transferred: int  # moved to another queue by a rule (counted there as offered too)
    callbacks: int  # accepted a callback
    callbacks_connected: int  # of which reached the customer (also counted as answered)
    callbacks_failed: int  # of which every attempt failed
    deflected: int  # by an overflow rule, or at entry by an entry rule naming this queue
    voicemail: int
    disconnected: int
    service_level: float
    asa_s: float
    ewt_error_s: float  # mean |estimated wait at entry - wait|, answered contacts
    ewt_bias_s: float  # mean (estimated wait at entry - wait)
    dispositions: dict[str, int]  # completed contacts, per disposition code
    reserve_active: bool  # the queue's reserve agents take its contacts now
    # The service level over the reserve policy's window as of now; measured only for a policy
    # with activate_below (1 otherwise, and when no contact was answered or abandoned in it).
    reserve_service_level: float

class AgentStats(_Record):
    agent: str
    team: Optional[str]  # AgentConfig's team
    state: AgentState
    not_ready_reason: Optional[str]
    time_in_state_s: float
    contacts_handled: int
    contacts_handled_total: int
    active_contacts: int
    time_by_state_s: dict[str, float]
    occupancy: float
    dispositions: dict[str, int]  # contacts it completed, per disposition code
    routable: bool  # whether the engine may offer it a contact now
    # If not, why: "logged_out", "pending_change", "missed_offer", "not_ready", "at_capacity".
    not_routable_reason: Optional[str]
    transfers: int  # contacts it transferred (blind, direct or by a completed consult)
    consults: int  # consults it started

class ContactInfo(_Record):
    id: str
    queue: str
    channel: ChannelName
    state: ContactState
    agent: Optional[str]
    arrival: float
    priority: int
    priority_class: int
    attributes: dict[str, Union[str, float]]
    estimated_wait_s: float  # while waiting; 0 otherwise
    position: int  # while waiting: 1 = next on its channel in its queue; 0 otherwise
    step: int  # while waiting: the requirement step reached (0: the queue's own)
    held_for: Optional[str]  # the preferred agent it is held for

class AgentVerdict(_Record):
    agent: str
    # logged_out, pending_change, missed_offer, not_ready, at_capacity, requirement,
    # held_for_another, reserve_inactive, queue_delay, cooling_down or free
    reason: str
    # When a queue delay or cool-down ends, or (reserve_inactive) the queue's next reserve check
    until: Optional[float]

class Explanation(_Record):
    contact: ContactInfo
    virtual_arrival: float
    requirement: str  # in force now
    agents: list[AgentVerdict]  # each agent serving the contact's queue
    next_change: Optional[float]  # when the engine changes the picture by itself
    text: str

class ScoringCandidate(TypedDict):
    agent: str
    contact: str
    queue: str
    channel: ChannelName
    idle_s: float
    contacts_handled: int
    skill_score: int
    attributes: dict[str, Union[str, float]]  # the contact's host attributes

class Engine:
    def __init__(
        self,
        *,
        offer_timeout: Duration = 15.0,
        rona_cooldown: Duration = 60.0,
        max_consecutive_misses: int = 2,
        reject_delay: Duration = 0.0,
        timeout_delay: Duration = 10.0,
        aging_unit: Duration = 60.0,
        occupancy_window: Duration = 1800.0,
        seed: int = 1,
        host_score_candidates: int = 16,
        record_events: bool = True,
        max_buffered_events: int = 100000,  # commands raise ResourceExhaustedError at the bound
        huge_page_records: bool = True,
        expected_agents: int = 0,  # id tables sized at once for this many; 0..10_000_000
        expected_contacts: int = 0,
        ewt_initial_interval: Duration = 30.0,
        max_transfers: int = 3,  # transfers by overflow rules per contact; 0..100
        stats_interval: Duration = 900.0,  # seconds of interval_stats()' intervals
    ) -> None: ...
    def add_queue(
        self,
        now: Time,
        id: str,
        *,
        requirement: str = "",
        strategy: Strategy = "longest_idle",
        priority: int = 0,
        ring_agents: int = 1,
        service_level_threshold: Duration = 20.0,
        service_level_target: float = 0.8,
        max_length: int = 0,
        max_hold: Duration = 0.0,
        wrap_up: WrapUp = None,
        steps: Optional[Sequence[Mapping[str, Union[str, Duration]]]] = None,  # after, requirement
        overflow: Optional[Sequence[OverflowRule]] = None,
        hours: Optional[Mapping[str, Ranges]] = None,  # {"mon-fri": [...], "sat": "..."}
        zone: Optional[str] = None,  # IANA name; None: "UTC"; needs hours
        closed_on: Optional[Sequence[Date]] = None,  # needs hours
        hours_on: Optional[Mapping[Date, Ranges]] = None,  # date -> its own hours; needs hours
        reserve: Optional[ReservePolicy] = None,  # None: its reserve agents never take contacts
        actor: Optional[str] = None,
    ) -> None: ...
    def update_queue(
        self,
        now: Time,
        id: str,
        *,
        requirement: str = "",
        strategy: Strategy = "longest_idle",
        priority: int = 0,
        ring_agents: int = 1,
        service_level_threshold: Duration = 20.0,
        service_level_target: float = 0.8,
        max_length: int = 0,
        max_hold: Duration = 0.0,
        wrap_up: WrapUp = None,
        steps: Optional[Sequence[Mapping[str, Union[str, Duration]]]] = None,  # after, requirement
        overflow: Optional[Sequence[OverflowRule]] = None,
        hours: Optional[Mapping[str, Ranges]] = None,  # {"mon-fri": [...], "sat": "..."}
        zone: Optional[str] = None,  # IANA name; None: "UTC"; needs hours
        closed_on: Optional[Sequence[Date]] = None,  # needs hours
        hours_on: Optional[Mapping[Date, Ranges]] = None,  # date -> its own hours; needs hours
        reserve: Optional[ReservePolicy] = None,  # None: its reserve agents never take contacts
        actor: Optional[str] = None,
    ) -> None: ...
    def update_agent(
        self,
        now: Time,
        id: str,
        *,
        skills: Optional[Mapping[str, int]] = None,
        groups: Optional[Sequence[str]] = None,
        team: Optional[str] = None,
        attributes: Optional[Mapping[str, AttributeValue]] = None,
        capacity: Optional[Mapping[str, int]] = None,
        cost: Optional[Mapping[str, int]] = None,
        cost_total: int = 100,
        blocks: Optional[Mapping[str, Sequence[str]]] = None,
        queues: Optional[Sequence[Membership]] = None,
        auto_membership: Optional[bool] = None,
        weight: Optional[float] = None,
        actor: Optional[str] = None,
    ) -> None: ...
    def remove_agent(self, now: Time, id: str, *, actor: Optional[str] = None) -> None: ...
    def explain_offer(self, contact: str) -> dict[str, Optional[str]]: ...
    def interval_stats(
        self, scope: Literal["queue", "agent", "team"], id: str
    ) -> dict[str, Any]: ...
    def remove_queue(
        self, now: Time, id: str, *, move_to: Optional[str] = None, actor: Optional[str] = None
    ) -> None: ...
    def move_contact(
        self, now: Time, contact: str, queue: str, *, actor: Optional[str] = None
    ) -> None: ...
    def set_contact_priority(
        self,
        now: Time,
        contact: str,
        priority: int,
        *,
        priority_class: Optional[int] = None,
        actor: Optional[str] = None,
    ) -> None: ...
    def assign_contact(
        self, now: Time, contact: str, agent: str, *, actor: Optional[str] = None
    ) -> None: ...
    def transfer(
        self,
        now: Time,
        agent: str,
        contact: str,
        *,
        queue: Optional[str] = None,
        to_agent: Optional[str] = None,
        timeout: Duration = 30.0,
        actor: Optional[str] = None,
    ) -> None: ...
    def start_consult(
        self, now: Time, agent: str, contact: str, to_agent: str, *, actor: Optional[str] = None
    ) -> None: ...
    def complete_consult(
        self, now: Time, agent: str, contact: str, *, actor: Optional[str] = None
    ) -> None: ...
    def cancel_consult(
        self, now: Time, agent: str, contact: str, *, actor: Optional[str] = None
    ) -> None: ...
    def add_agent(
        self,
        now: Time,
        id: str,
        *,
        skills: Mapping[str, int] = ...,
        groups: Sequence[str] = ...,
        attributes: Mapping[str, AttributeValue] = ...,
        capacity: Optional[Mapping[str, int]] = None,
        cost: Optional[Mapping[str, int]] = None,
        cost_total: int = 100,
        blocks: Optional[Mapping[str, Sequence[str]]] = None,
        queues: Optional[Sequence[Membership]] = None,
        auto_membership: Optional[bool] = None,
        weight: float = 1.0,
        team: str = "",
        actor: Optional[str] = None,
    ) -> None: ...
    def login(
        self,
        now: Time,
        agent: str,
        *,
        ready: bool = False,
        reason: Optional[str] = None,
        actor: Optional[str] = None,
    ) -> None: ...
    def logout(
        self, now: Time, agent: str, *, after_contacts: bool = False, actor: Optional[str] = None
    ) -> None: ...
    def set_ready(self, now: Time, agent: str, *, actor: Optional[str] = None) -> None: ...
    def set_not_ready(
        self,
        now: Time,
        agent: str,
        reason: str,
        *,
        after_contacts: bool = False,
        actor: Optional[str] = None,
    ) -> None: ...
    def add_contact(
        self,
        now: Time,
        id: str,
        queue: Optional[str] = None,  # None or "": the entry rules place it (set_entry_rules)
        *,
        channel: ChannelName = "voice",
        priority: int = 0,
        priority_class: int = 0,
        attributes: Mapping[str, AttributeValue] = ...,
        arrival: Optional[Time] = None,
        preferred_agent: Optional[str] = None,
        preferred_timeout: Duration = 0.0,
        actor: Optional[str] = None,
    ) -> Optional[str]: ...
    def set_entry_rules(
        self, now: Time, rules: Sequence[EntryRule], *, actor: Optional[str] = None
    ) -> None: ...
    def accept(self, now: Time, agent: str, contact: str, *, actor: Optional[str] = None) -> None: ...
    def reject(self, now: Time, agent: str, contact: str, *, actor: Optional[str] = None) -> None: ...
    def hold(self, now: Time, agent: str, contact: str, *, actor: Optional[str] = None) -> None: ...
    def resume(self, now: Time, agent: str, contact: str, *, actor: Optional[str] = None) -> None: ...
    def complete(
        self, now: Time, agent: str, contact: str, *, disposition: Optional[str] = None,
        actor: Optional[str] = None
    ) -> None: ...
    def end_wrap_up(
        self, now: Time, agent: str, contact: Optional[str] = None, *, actor: Optional[str] = None
    ) -> None: ...
    def extend_wrap_up(
        self,
        now: Time,
        agent: str,
        contact: str,
        extension: Duration,
        *,
        actor: Optional[str] = None,
    ) -> None: ...
    def abandon(self, now: Time, contact: str, *, actor: Optional[str] = None) -> None: ...
    def remove(
        self, now: Time, contact: str, reason: str, *, actor: Optional[str] = None
    ) -> None: ...
    def answer_overflow(
        self,
        now: Time,
        contact: str,
        accepted: bool,
        *,
        actor: Optional[str] = None,
        callback_at: Optional[Time] = None,  # a scheduled callback: the time the customer chose
    ) -> None: ...
    def report_callback(
        self, now: Time, contact: str, result: CallbackResult, *, actor: Optional[str] = None
    ) -> None: ...
    def advance_to(self, now: Time) -> None: ...
    @property
    def next_deadline(self) -> Optional[float]: ...
    @property
    def now(self) -> Optional[float]: ...
    @property
    def options(self) -> dict[str, Any]: ...
    @staticmethod
    def mapped_bytes() -> int: ...
    def drain_events(self) -> list[Event]: ...  # if it raises, the events wait for the next call
    def queue_stats(self, id: str) -> QueueStats: ...
    def agent_stats(self, id: str) -> AgentStats: ...
    def contact(self, id: str) -> ContactInfo: ...
    def agent_contacts(self, id: str) -> list[ContactInfo]: ...
    def agent_queues(self, id: str) -> list[str]: ...
    def queue_contacts(self, id: str) -> list[ContactInfo]: ...
    def explain(self, id: str) -> Explanation: ...
    def queues(self) -> list[str]: ...
    def agents(self) -> list[str]: ...
    # With pandas (ImportError otherwise): one row per queue / agent, in the order they were
    # added, indexed by id; the columns are queue_stats() / agent_stats()'s keys.
    def queue_stats_frame(self) -> Any: ...  # pandas.DataFrame
    def agent_stats_frame(self) -> Any: ...  # pandas.DataFrame
    def set_host_scorer(self, scorer: Optional[Callable[[ScoringCandidate], float]]) -> None: ...
    @property
    def host_scorer(self) -> Optional[Callable[[ScoringCandidate], float]]: ...

# --- Simulation ---

# The keys of every KPI dict of simulate()'s results, in their order (C++ KpiNames()).
KPI_NAMES: tuple[str, ...]

class Scenario:
    name: str
    seed: int
    replications: int
    # Seconds; set as seconds or a datetime.timedelta.
    @property
    def duration(self) -> float: ...
    @duration.setter
    def duration(self, value: Duration) -> None: ...
    @property
    def warmup(self) -> float: ...
    @warmup.setter
    def warmup(self, value: Duration) -> None: ...
    @property
    def interval(self) -> float: ...
    @interval.setter
    def interval(self, value: Duration) -> None: ...
    @property
    def queues(self) -> list[str]: ...
    @property
    def agent_count(self) -> int: ...
    @property
    def traffic_count(self) -> int: ...
    def validate(self) -> None: ...
    def copy(self) -> Scenario: ...
    def __copy__(self) -> Scenario: ...
    def __deepcopy__(self, memo: dict[Any, Any]) -> Scenario: ...

def load_scenario(path: Union[str, os.PathLike[str]]) -> Scenario: ...
def parse_scenario(text: str, name: str = "<string>") -> Scenario: ...
def scenario_from_dict(scenario: dict[str, Any], name: str = "<dict>") -> Scenario: ...
def simulate(
    scenario: Scenario,
    *,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,  # 1..1024
    progress: Optional[Callable[[int, int], None]] = None,
    max_contacts: Optional[float] = None,  # None: 200e6 expected contacts, all replications
    max_contacts_per_replication: Optional[float] = None,  # None: 10e6
    max_agents: Optional[int] = None,  # None: 100,000
    max_replications: Optional[int] = None,  # None: 100,000
) -> dict[str, Any]: ...
def replay(
    log_text: str,
    log_name: str,
    scenario: Scenario,
    *,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    patience: str = "exponential",  # or "kaplan_meier"
) -> tuple[str, str, Optional[float]]: ...
def fit_patience(log_text: str, log_name: str, method: str = "exponential") -> dict[str, Any]: ...
def cli_main(argv: Sequence[str]) -> int: ...

# Erlang calculators and staffing (erlang_bindings.cc); switchboard.erlang wraps them. Each
# returns the JSON text of the command line's output.
def parse_arrival_rate(text: str) -> float: ...  # per second
def parse_seconds(text: str) -> float: ...
def erlang_json(
    model: str,  # "b", "c" or "a"
    arrival_rate_per_s: float,
    aht_s: float,
    agents: int,
    threshold_s: float = 20.0,
    patience_s: float = 0.0,
) -> str: ...
def staff_json(
    arrival_rate_per_s: float,
    aht_s: float,
    model: str = "c",
    threshold_s: float = 20.0,
    target: float = 0.8,
    patience_s: float = 0.0,
    max_occupancy: float = 1.0,
    max_abandon: float = 1.0,
    shrinkage: float = 0.0,
) -> str: ...
def staff_intraday_json(
    csv: str,  # a path when source_name is empty, else the CSV text
    source_name: str,
    interval_s: Optional[float] = None,
    model: str = "c",
    threshold_s: float = 20.0,
    target: float = 0.8,
    patience_s: float = 0.0,
    max_occupancy: float = 1.0,
    max_abandon: float = 1.0,
    shrinkage: float = 0.0,
    verify: bool = False,
    replications: int = 20,
    seed: int = 1,
    tolerance: float = 0.03,
    threads: int = 1,
) -> str: ...
