// switchboard.Engine: the routing engine for a host written in Python.
//
// Every command takes `now` (float Unix seconds or an aware datetime, TimeAt) first, then ids,
// then keyword-only options; durations are float seconds or a timedelta (SecondsAt). A refused
// command raises the exception of its Status (status.h) and changes nothing. Events,
// statistics, contacts and explanations come back as typed records (records.h, events.cc) that
// also read as mappings; the class PyEngine is in py_engine.h.
//
// The only call back into Python from inside a command is the host scorer, and only when the
// host set one (set_host_scorer) and a queue uses strategy "host_score".
//
// Text the engine returns (ids, reasons, attributes) becomes str through Str (bindings.h), which
// cannot fail on bytes that are not UTF-8; drain_events() keeps the events it took from the
// engine until they are Python objects, so no error there loses any.
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "command_args.h"
#include "entry_rules.h"
#include "py_engine.h"
#include "queue_policies.h"
#include "records.h"
#include "status.h"
#include "switchboard/engine.h"
#include "switchboard/limits.h"
#include "values.h"

namespace py = pybind11;

namespace switchboard::python {
namespace {

py::dict OptionsToDict(const EngineOptions& o) {
  py::dict d;
  d["offer_timeout"] = DurationToSeconds(o.offer_timeout);
  d["rona_cooldown"] = DurationToSeconds(o.rona_cooldown);
  d["max_consecutive_misses"] = o.max_consecutive_misses;
  d["reject_delay"] = DurationToSeconds(o.reject_delay);
  d["timeout_delay"] = DurationToSeconds(o.timeout_delay);
  d["aging_unit"] = DurationToSeconds(o.aging_unit);
  d["occupancy_window"] = DurationToSeconds(o.occupancy_window);
  d["seed"] = o.seed;
  d["host_score_candidates"] = o.host_score_candidates;
  d["record_events"] = o.record_events;
  d["max_buffered_events"] = o.max_buffered_events;
  d["huge_page_records"] = o.huge_page_records;
  d["expected_agents"] = o.expected_agents;
  d["expected_contacts"] = o.expected_contacts;
  d["ewt_initial_interval"] = DurationToSeconds(o.ewt_initial_interval);
  d["max_transfers"] = o.max_transfers;
  d["stats_interval"] = DurationToSeconds(o.stats_interval);
  return d;
}

constexpr const char* kEngineDoc = R"doc(The routing engine: decides which agent handles which contact, and when.

The host owns the channels, the storage and the clock. Every command takes ``now``, the host's
time as float Unix seconds (e.g. ``time.time()``) or an aware ``datetime.datetime`` (a naive one
raises InvalidArgumentError: its zone would be a guess), rounded to the microsecond, which must
never go backwards. A refused command raises a :class:`switchboard.Error` subclass whose message is the
engine's and changes nothing (beyond firing the deadlines due before ``now``). One exception: if
the host scorer (``set_host_scorer``) raises during a command, that decision falls back to the
longest-idle agent, the command is applied, and the scorer's exception is raised afterwards.
Durations are float seconds or a ``datetime.timedelta``. What the engine returns gives times as
float Unix seconds and durations as float seconds (keys ending in ``_s``).

Events (:class:`switchboard.Event`), statistics, contacts and explanations are typed records
with attributes (``event.type``, a :class:`switchboard.EventType`) that also read as mappings
of the same keys (``event["type"] == "contact_offered"``, ``dict(event)``, ``to_dict()``).

Options (keyword-only, all optional):
  offer_timeout (15.0): seconds an offer rings before it times out (RONA); > 0.
  rona_cooldown (60.0): seconds a contact is not offered again to an agent that missed it.
  max_consecutive_misses (2): missed offers in a row that make the agent not ready; 0 never.
  reject_delay (0.0), timeout_delay (10.0): seconds an agent is not ready after a rejected /
      timed-out offer (below max_consecutive_misses).
  aging_unit (60.0): seconds of extra waiting one point of contact priority is worth.
  occupancy_window (1800.0): window of the least_occupied strategy, seconds.
  seed (1): seed of the "random" strategy's generator.
  host_score_candidates (16): candidates the host scorer sees per decision; >= 1.
  record_events (True): keep events for drain_events().
  max_buffered_events (100000): events drain_events() may have to return; while that many
      wait, every command raises ResourceExhaustedError and changes nothing (drain, then
      retry). >= 1.
  huge_page_records (True): past 16 MiB of records (about 35k agents), keep the rest in 2 MiB
      blocks advised for transparent huge pages (Linux; see mapped_bytes()); False keeps every
      record on the heap.
  expected_agents (0), expected_contacts (0): size the id tables for this many at once
      (0..10,000,000); they grow on demand anyway, a little per command.
  ewt_initial_interval (30.0): seconds between serves a queue assumes for its estimated wait
      before it has measured any; > 0.
  stats_interval (900.0): seconds of the intervals of interval_stats() (15, 30 or 60 minutes,
      or any other divisor of a day), aligned to multiples of it since the Unix epoch.
  max_transfers (3): transfers by overflow rules one contact may make; a rule that would pass
      it does not fire (event transfer_limit_hit; the next rule may). 0..100.

Example::

    engine = switchboard.Engine(offer_timeout=20)
    t = 1_700_000_000.0
    engine.add_queue(t, "support", requirement="support >= 1")
    engine.add_agent(t, "a1", skills={"support": 5})
    engine.login(t, "a1", ready=True)
    engine.add_contact(t, "c1", "support")          # offered to a1 at once
    [e.type for e in engine.drain_events()]         # [..., EventType.contact_offered]
    engine.accept(t + 3, "a1", "c1")
    engine.advance_to(datetime.datetime.now(datetime.timezone.utc))
)doc";

// The PyEngine of `self`, or nullptr when it has none (never initialized, the constructor
// raised, or being torn down). Raises nothing: for the collector's slots.
PyEngine* EngineOrNull(PyObject* self) {
  if (!IsInitialized<PyEngine>(self)) return nullptr;
  try {
    return &py::cast<PyEngine&>(py::handle(self));
  } catch (const std::exception&) {  // reference_cast_error: no value
    return nullptr;
  }
}

constexpr const char* kAddQueueDoc = R"doc(Defines a queue.

requirement: expression agents must meet, e.g. "support >= 3 && lang == 'de'"; "" for all.
strategy: longest_idle | most_skilled | least_occupied | fewest_contacts | round_robin |
    random | host_score.
priority: higher is served first among an agent's queues of equal agent priority.
ring_agents: multi-offer: a routed contact rings at up to this many free agents at once (the
    strategy's best first); the first accept takes it and the other offers are withdrawn
    (offer_withdrawn, reason "accepted_by_another"); each reject or ring-out is that agent's
    miss. 1..8, default 1.
service_level_threshold: seconds (default 20); service_level_target: 0..1 (default 0.8).
max_length: contacts that may wait at once; 0 unlimited.
max_hold: seconds a contact may be on hold before event hold_limit_reached (to the agent and
    supervisors); 0 (default): no limit.
wrap_up: None (none), seconds (timed), "until_agent_ends", or
    {"mode": "timed" | "until_agent_ends" | "timed_with_extension", "duration": s,
     "max_extension": s}.
steps: requirement steps (skill relaxation), e.g. [{"after": 30, "requirement": "support >= 1"}]:
    once a contact has waited `after` seconds, agents meeting that requirement take it instead;
    in increasing `after`, at most 16 (docs/policies.md).
overflow: overflow rules, in order, at most 16; for a contact the first rule that fires applies
    (docs/policies.md). Each a dict:
      "when": "wait" (the contact waited "wait" seconds here), "queue_length" (on arrival, no
          agent free and "queue_length" or more wait), "estimated_wait" (on arrival, no agent
          free and its estimate >= "wait" seconds), "no_agents" (on arrival, and when the
          queue's last agent logs out: no agent logged in) or "closed" (on arrival, before
          any routing, and for the contacts waiting at closing time: the queue is outside its
          hours; needs hours); required.
      "action": "transfer" (to queue "target", added before this one; keeps the arrival;
          with "look_ahead": True only when the target's estimate is shorter), "callback"
          (as "callback" says), "deflect" (the host sends the customer to "target"),
          "voicemail" or "disconnect" (with "reason", default the trigger's name); required.
      "ask": True for callback and deflect: the customer is asked first (event
          overflow_offered) and answer_overflow() says what they chose.
      "callback": {"mode": "keep_place" (default: keeps its place; the agent dials when its
          turn comes, then report_callback()) or "scheduled" (leaves and comes back "after"
          seconds later on channel callback with "priority"), "retries": dial attempts after a
          failed first one (0..10, default 0), "retry_after": seconds between them (600)}.
    e.g. [{"when": "wait", "wait": 120, "action": "callback", "ask": True},
          {"when": "queue_length", "queue_length": 20, "action": "transfer", "target": "spill"}]
    A key that does not apply to the rule's trigger, action or mode is refused.
hours: opening hours, as in scenario files: day or range of days -> a range "HH:MM-HH:MM" or a
    list of them, e.g. {"mon-fri": ["09:00-12:00", "13:00-18:00"], "sat": "10:00-13:00"}
    (days mon..sun; a range such as "fri-mon" wraps past Sunday; "24:00" ends the day). A day
    not given is closed; each day may be given once. None (default): always open. What a
    closed queue does is its "closed" rules; without one it routes as an open one. Events
    queue_opened / queue_closed (cause opening_hours) at each change; queue_stats()["open"].
zone: IANA time zone the hours are local to (default "UTC"). Across daylight saving, a time a
    spring-forward skips means the transition instant, a time a fall-back repeats its first
    occurrence.
closed_on: dates closed all day, "YYYY-MM-DD" or datetime.date, e.g. ["2026-12-25"].
hours_on: dates with their own hours instead of their weekday's, e.g.
    {"2026-12-24": "09:00-12:00"}; an empty list closes the date. A date may be given once
    in closed_on and hours_on together. zone, closed_on and hours_on need hours.
reserve: when the queue's reserve agents (add_agent(queues=[{"queue": id, "reserve": True}]))
    take its contacts; None (default): never. A dict of:
      "activate_below": active when the service level over "window" is below this (0..1;
          0, the default: not by service level); "deactivate_at": inactive again only once it
          is at least this (activate_below..1; default activate_below: no gap).
      "activate_wait": active when the oldest contact has waited this many seconds (0, the
          default: not by wait); "deactivate_wait": inactive again only once the oldest wait is
          at most this (0..activate_wait; 0, the default: once nobody waits).
      "window": seconds of the service level (default 900, at most 24 h); "check_every":
          seconds between checks, on a grid from the Unix epoch (default 5; 1 s..1 h).
    At least one of activate_below and activate_wait. The engine checks while contacts wait or
    the reserve is active; events reserve_activated / reserve_deactivated (cause reserve_check,
    reason e.g. "service_level=0.62 oldest_wait=1m15s"); queue_stats()["reserve_active"], and
    ["reserve_service_level"]. e.g. {"activate_wait": 60, "deactivate_wait": 10}.
Raises AlreadyExistsError for a duplicate id, NotFoundError for an unknown transfer target,
InvalidArgumentError for a bad requirement (with its column) or value (naming the key, e.g.
"overflow[1].wait", "hours['mon-fri'][1]", "reserve.window"; the engine names the day of ranges
that overlap or end before they start, an unknown zone, and a reserve value out of range).)doc";

constexpr const char* kUpdateQueueDoc = R"doc(Replaces a live queue's configuration; its id stays.

Takes what add_queue takes, the whole configuration (what is not given returns to its default).
Agents serve the queue again by the new requirement, free agents take at once the contacts it
lets them, and contacts keep their place and any offer. New wait rules count from each contact's
entry, except those whose wait it has passed; a pending answer to an overflow offer lapses.
Raises NotFoundError for an unknown queue, FailedPreconditionError for a different number of
steps (remove and add the queue instead) or a requirement an entry rule's own cannot be combined
with, and the errors of add_queue (docs/operations.md).)doc";

// add_queue and update_queue: the same arguments, a whole queue configuration.
template <typename Body>
void DefQueueCommand(py::class_<PyEngine>& engine, const char* name, const char* doc) {
  engine.def(
      name,
      [](PyEngine& self, py::object now, std::string id, std::string requirement,
         std::string_view strategy, int priority, int ring_agents,
         py::object service_level_threshold,
         double service_level_target, int64_t max_length, py::object max_hold, py::object wrap_up,
         py::object steps, py::object overflow, py::object hours, py::object zone,
         py::object closed_on, py::object hours_on, py::object reserve,
         std::optional<std::string> actor) {
        QueueConfig config;
        config.id = std::move(id);
        config.requirement = std::move(requirement);
        config.strategy = ParseStrategyOrThrow(strategy);
        config.priority = priority;
        config.ring_agents = ring_agents;
        config.service_level_threshold =
            SecondsAt(service_level_threshold, "service_level_threshold");
        config.service_level_target = service_level_target;
        config.max_length = max_length;
        config.max_hold = SecondsAt(max_hold, "max_hold");
        config.wrap_up = ParseWrapUp(wrap_up);
        config.steps = ParseSteps(steps);
        config.overflow = ParseOverflow(overflow);
        config.hours = ParseOpeningHours(hours, zone, closed_on, hours_on);
        config.reserve = ParseReserve(reserve);
        self.Run(TimeAt(now, "now"), ParseActor(actor), Body{std::move(config)});
      },
      py::arg("now"), py::arg("id"), py::kw_only(), py::arg("requirement") = "",
      py::arg("strategy") = "longest_idle", py::arg("priority") = 0, py::arg("ring_agents") = 1,
      py::arg("service_level_threshold") = 20.0, py::arg("service_level_target") = 0.8,
      py::arg("max_length") = 0, py::arg("max_hold") = 0.0, py::arg("wrap_up") = py::none(),
      py::arg("steps") = py::none(),
      py::arg("overflow") = py::none(), py::arg("hours") = py::none(),
      py::arg("zone") = py::none(), py::arg("closed_on") = py::none(),
      py::arg("hours_on") = py::none(), py::arg("reserve") = py::none(),
      py::arg("actor") = py::none(), doc);
}

}  // namespace

void register_engine(py::module_& m) {
  // The scorer is often a closure over the engine: the collector must see that reference to
  // free such a cycle (pybind11's custom_type_setup example).
  auto engine = BindClass<PyEngine>(
      m, "Engine", kEngineDoc, py::custom_type_setup([](PyHeapTypeObject* heap_type) {
        PyTypeObject* type = &heap_type->ht_type;
        type->tp_flags |= Py_TPFLAGS_HAVE_GC;
        type->tp_traverse = [](PyObject* self, visitproc visit, void* arg) -> int {
          Py_VISIT(Py_TYPE(self));
          if (PyEngine* owner = EngineOrNull(self)) Py_VISIT(owner->host_scorer().ptr());
          return 0;
        };
        type->tp_clear = [](PyObject* self) -> int {
          if (PyEngine* owner = EngineOrNull(self)) owner->ClearScorer();
          return 0;
        };
      }));
  const EngineOptions defaults;
  engine.def(
      py::init([](py::object offer_timeout, py::object rona_cooldown, int max_consecutive_misses,
                  py::object reject_delay, py::object timeout_delay, py::object aging_unit,
                  py::object occupancy_window, uint64_t seed, int host_score_candidates,
                  bool record_events, int64_t max_buffered_events, bool huge_page_records,
                  int64_t expected_agents, int64_t expected_contacts,
                  py::object ewt_initial_interval, int max_transfers,
                  py::object stats_interval) {
        EngineOptions options;
        options.offer_timeout = SecondsAt(offer_timeout, "offer_timeout");
        options.rona_cooldown = SecondsAt(rona_cooldown, "rona_cooldown");
        options.max_consecutive_misses = max_consecutive_misses;
        options.reject_delay = SecondsAt(reject_delay, "reject_delay");
        options.timeout_delay = SecondsAt(timeout_delay, "timeout_delay");
        options.aging_unit = SecondsAt(aging_unit, "aging_unit");
        options.occupancy_window = SecondsAt(occupancy_window, "occupancy_window");
        options.seed = seed;
        options.host_score_candidates = host_score_candidates;
        options.record_events = record_events;
        options.max_buffered_events = max_buffered_events;
        options.huge_page_records = huge_page_records;
        options.expected_agents = expected_agents;
        options.expected_contacts = expected_contacts;
        options.ewt_initial_interval =
            SecondsAt(ewt_initial_interval, "ewt_initial_interval");
        options.max_transfers = max_transfers;
        options.stats_interval = SecondsAt(stats_interval, "stats_interval");
        return std::make_unique<PyEngine>(std::move(options));
      }),
      // The defaults are EngineOptions' own.
      py::kw_only(), py::arg("offer_timeout") = DurationToSeconds(defaults.offer_timeout),
      py::arg("rona_cooldown") = DurationToSeconds(defaults.rona_cooldown),
      py::arg("max_consecutive_misses") = defaults.max_consecutive_misses,
      py::arg("reject_delay") = DurationToSeconds(defaults.reject_delay),
      py::arg("timeout_delay") = DurationToSeconds(defaults.timeout_delay),
      py::arg("aging_unit") = DurationToSeconds(defaults.aging_unit),
      py::arg("occupancy_window") = DurationToSeconds(defaults.occupancy_window),
      py::arg("seed") = defaults.seed,
      py::arg("host_score_candidates") = defaults.host_score_candidates,
      py::arg("record_events") = defaults.record_events,
      py::arg("max_buffered_events") = defaults.max_buffered_events,
      py::arg("huge_page_records") = defaults.huge_page_records,
      py::arg("expected_agents") = defaults.expected_agents,
      py::arg("expected_contacts") = defaults.expected_contacts,
      py::arg("ewt_initial_interval") = DurationToSeconds(defaults.ewt_initial_interval),
      py::arg("max_transfers") = defaults.max_transfers,
      py::arg("stats_interval") = DurationToSeconds(defaults.stats_interval),
      "Creates an engine; InvalidArgumentError names the first option out of range.");

  DefQueueCommand<AddQueue>(engine, "add_queue", kAddQueueDoc);
  DefQueueCommand<UpdateQueue>(engine, "update_queue", kUpdateQueueDoc);
  DefLiveCommands(engine);

  engine.def(
      "add_agent",
      [](PyEngine& self, py::object now, std::string id,
         std::map<std::string, int, std::less<>> skills, std::vector<std::string> groups,
         Attributes attributes, std::optional<std::map<std::string, int>> capacity,
         std::optional<std::map<std::string, int>> cost, int cost_total,
         std::optional<std::map<std::string, std::vector<std::string>>> blocks,
         std::optional<py::iterable> queues, std::optional<bool> auto_membership, double weight,
         std::string team, std::optional<std::string> actor) {
        AgentConfig config;
        config.id = std::move(id);
        config.skills = std::move(skills);
        config.groups = std::move(groups);
        config.team = std::move(team);
        config.attributes = std::move(attributes);
        config.capacity = ParseCapacity(capacity, cost, cost_total, blocks);
        if (queues) config.queues = ParseMemberships(*queues);
        config.auto_membership = auto_membership.value_or(!queues);
        config.weight = weight;
        self.Run(TimeAt(now, "now"), ParseActor(actor), AddAgent{std::move(config)});
      },
      py::arg("now"), py::arg("id"), py::kw_only(),
      py::arg("skills") = std::map<std::string, int, std::less<>>{},
      py::arg("groups") = std::vector<std::string>{}, py::arg("attributes") = Attributes{},
      py::arg("capacity") = py::none(), py::arg("cost") = py::none(),
      py::arg("cost_total") = 100, py::arg("blocks") = py::none(),
      py::arg("queues") = py::none(), py::arg("auto_membership") = py::none(),
      py::arg("weight") = 1.0, py::arg("team") = "", py::arg("actor") = py::none(),
      R"doc(Defines an agent (logged out).

skills: skill -> level 1..100. groups: group names. team: the supervisor's team it belongs to
    ("" none; interval_stats("team", ...) adds up its agents). attributes: name -> str or number, for
    requirements (agent.NAME).
capacity: channel -> contacts at once, e.g. {"chat": 3}; default {"voice": 1}.
cost, cost_total: the cost model instead of plain limits, e.g. cost={"voice": 100, "chat": 34}
    out of cost_total=100 (still bounded by capacity).
blocks: channel -> channels one contact of it keeps the agent from taking; default: voice
    blocks everything else and everything else blocks voice.
queues: queue ids or {"queue": id, "priority": int, "delay": seconds, "reserve": bool}.
    None: every queue whose requirement the agent meets. "reserve": True makes the agent a
    reserve of the queue: it takes the queue's contacts only while the queue's reserve policy
    (add_queue(reserve=...)) is active, never without one.
auto_membership: with queues, True serves every queue the agent meets too (the listed ones with
    their priority, delay and reserve); False (the default when queues are given) exactly those.
weight: for the "random" strategy, > 0 and <= 1,000,000.)doc");

  engine.def(
      "login",
      [](PyEngine& self, py::object now, std::string agent, bool ready,
         std::optional<std::string> reason, std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 Login{std::move(agent), ready, reason.value_or("")});
      },
      py::arg("now"), py::arg("agent"), py::kw_only(), py::arg("ready") = false,
      py::arg("reason") = py::none(), py::arg("actor") = py::none(),
      "Logged out -> not ready (reason, default \"login\") or, with ready=True, available.");
  engine.def(
      "logout",
      [](PyEngine& self, py::object now, std::string agent, bool after_contacts,
         std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor), Logout{std::move(agent), after_contacts});
      },
      py::arg("now"), py::arg("agent"), py::kw_only(), py::arg("after_contacts") = false,
      py::arg("actor") = py::none(),
      "Logs the agent out; with after_contacts=True, once its last contact ends.");
  engine.def(
      "set_ready",
      [](PyEngine& self, py::object now, std::string agent, std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor), SetReady{std::move(agent)});
      },
      py::arg("now"), py::arg("agent"), py::kw_only(), py::arg("actor") = py::none(),
      "Not ready -> available; also clears a pending change.");
  engine.def(
      "set_not_ready",
      [](PyEngine& self, py::object now, std::string agent, std::string reason, bool after_contacts,
         std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 SetNotReady{std::move(agent), std::move(reason), after_contacts});
      },
      py::arg("now"), py::arg("agent"), py::arg("reason"), py::kw_only(),
      py::arg("after_contacts") = false, py::arg("actor") = py::none(),
      "Available or not ready -> not ready with reason (non-empty); with after_contacts=True, "
      "once its last contact ends.");

  engine.def(
      "add_contact",
      [](PyEngine& self, py::object now, std::string id, std::optional<std::string> queue,
         std::string_view channel, int priority, int priority_class, Attributes attributes,
         py::object arrival, std::optional<std::string> preferred_agent,
         py::object preferred_timeout, std::optional<std::string> actor) {
        ContactConfig config;
        config.id = std::move(id);
        config.queue = std::move(queue).value_or("");
        config.channel = ParseChannelOrThrow(channel);
        config.priority = priority;
        config.priority_class = priority_class;
        config.attributes = std::move(attributes);
        if (!arrival.is_none()) config.arrival = TimeAt(arrival, "arrival");
        config.preferred_agent = preferred_agent.value_or("");
        config.preferred_timeout = SecondsAt(preferred_timeout, "preferred_timeout");
        const std::string contact = config.id;
        self.Run(TimeAt(now, "now"), ParseActor(actor), AddContact{std::move(config)});
        // What the engine decided: the agent it rings at, if any (one id lookup).
        absl::StatusOr<ContactInfo> info = self.engine().GetContact(contact);
        return info.ok() && info->state == ContactState::kOffered ? py::object(py::str(info->agent))
                                                                 : py::object(py::none());
      },
      py::arg("now"), py::arg("id"), py::arg("queue") = py::none(), py::kw_only(),
      py::arg("channel") = "voice", py::arg("priority") = 0, py::arg("priority_class") = 0,
      py::arg("attributes") = Attributes{}, py::arg("arrival") = py::none(),
      py::arg("preferred_agent") = py::none(), py::arg("preferred_timeout") = 0.0,
      py::arg("actor") = py::none(),
      R"doc(A contact arrives in `queue` and is offered at once when an agent can take it.

queue: the queue it enters. None (default) or "": the entry rules (set_entry_rules) place it:
    the first rule its attributes meet gives its queue, and may set its priority and class
    (instead of those given here) or deflect it at once (event contact_deflected, reason
    "entry_rule"); event entry_rule_matched first. A named queue skips the rules.
channel: voice | chat | email | sms | social | web | fax | callback | outbound.
priority: -1000..1000, each point counts as aging_unit seconds of extra waiting.
priority_class: 0..255, a higher class is always served first.
arrival: Unix seconds it first arrived (not later than now); default now.
preferred_agent, preferred_timeout: only that agent may take it for that many seconds.
Raises AlreadyExistsError (id in use), NotFoundError (unknown queue or preferred agent),
FailedPreconditionError (no queue named and no entry rule matches; nothing changes).
Returns the id of the agent it was offered to at once, or None when it waits (or was rejected,
deflected or ended by a rule at entry).)doc");

  engine.def(
      "set_entry_rules",
      [](PyEngine& self, py::object now, py::object rules, std::optional<std::string> actor) {
        std::vector<EntryRule> parsed = ParseEntryRules(rules);
        self.Run(TimeAt(now, "now"), ParseActor(actor), SetEntryRules{std::move(parsed)});
      },
      py::arg("now"), py::arg("rules"), py::kw_only(), py::arg("actor") = py::none(),
      R"doc(Replaces the entry rules: where add_contact puts a contact that names no queue.

rules: in order, at most 4096; for a contact the first rule whose "when" its attributes meet
    applies. Each a dict:
      "when": a condition on the contact's attributes, e.g.
          'language == "ja" && tier in ["gold", "platinum"]' (the syntax of a requirement, on
          the contact's attributes: ==, !=, <, <=, >, >=, in, not in, &&/and, ||/or, !/not,
          parentheses; a bare name is true when the attribute is a non-empty str or a number
          other than 0). "" (default): every contact, the default rule, usually the last.
      "queue": the queue it enters (added before); "priority" (-1000..1000) and
          "priority_class" (0..255): when given, the contact's instead of its own.
      "requirement": a requirement of the contact's own, e.g. 'team == "vip"': in "queue"
          (and each of its steps) only agents meeting it as well as the queue's take the
          contact; a transfer by an overflow rule leaves it behind. Not with "deflect".
      "deflect": where the host sends the customer instead (self-service, the web): the
          contact enters no queue, event contact_deflected (reason "entry_rule", target this)
          with outcome deflected, counted in "queue"'s statistics (offered, deflected) when
          the rule names one. Not with priority or priority_class.
    A rule needs "queue" or "deflect". [] removes every rule.
    e.g. [{"when": 'language == "ja"', "queue": "japanese", "priority": 2},
          {"when": 'ivr == "balance"', "deflect": "web"},
          {"queue": "general"}]
Event entry_rule_matched (contact, queue, reason "rules[N]: <when>" or "rules[N]: default",
N counted from 0) for each contact a rule places or deflects.
Raises InvalidArgumentError for a wrong type or unknown key (naming it, e.g.
"rules[1].priority: expected an int, got str") and, with the engine's message, for a condition
that does not parse, a rule with neither queue nor deflect or a value out of range (e.g.
"rules[2].requirement: ..."); NotFoundError for an unknown queue. The rules in
force then stay.)doc");

  // The agent-and-contact commands share one shape.
  auto agent_contact = [&engine](const char* name, auto make, const char* doc) {
    engine.def(
        name,
        [make](PyEngine& self, py::object now, std::string agent, std::string contact,
               std::optional<std::string> actor) {
          self.Run(TimeAt(now, "now"), ParseActor(actor), make(std::move(agent), std::move(contact)));
        },
        py::arg("now"), py::arg("agent"), py::arg("contact"), py::kw_only(),
        py::arg("actor") = py::none(), doc);
  };
  agent_contact(
      "accept", [](std::string a, std::string c) { return AcceptOffer{std::move(a), std::move(c)}; },
      "The agent answers the contact offered to it.");
  agent_contact(
      "reject", [](std::string a, std::string c) { return RejectOffer{std::move(a), std::move(c)}; },
      "The agent declines the offer; the contact goes back keeping its place.");
  agent_contact(
      "hold", [](std::string a, std::string c) { return HoldContact{std::move(a), std::move(c)}; },
      "Puts a connected contact on hold.");
  agent_contact(
      "resume",
      [](std::string a, std::string c) { return ResumeContact{std::move(a), std::move(c)}; },
      "Takes a contact off hold.");
  engine.def(
      "complete",
      [](PyEngine& self, py::object now, std::string agent, std::string contact,
         std::optional<std::string> disposition, std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 CompleteContact{std::move(agent), std::move(contact), disposition.value_or("")});
      },
      py::arg("now"), py::arg("agent"), py::arg("contact"), py::kw_only(),
      py::arg("disposition") = py::none(), py::arg("actor") = py::none(),
      "The agent ends a connected (or held) contact: outcome completed; wrap-up follows per the "
      "queue's policy. disposition: how it ended, in the host's codes (\"resolved\", "
      "\"escalated\", ...): counted in queue_stats() and agent_stats() \"dispositions\" and the "
      "reason of contact_completed.");

  engine.def(
      "end_wrap_up",
      [](PyEngine& self, py::object now, std::string agent, std::optional<std::string> contact,
         std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 EndWrapUp{std::move(agent), contact.value_or("")});
      },
      py::arg("now"), py::arg("agent"), py::arg("contact") = py::none(), py::kw_only(),
      py::arg("actor") = py::none(),
      "Ends the agent's wrap-up of `contact`, or of all its contacts in wrap-up when None.");
  engine.def(
      "extend_wrap_up",
      [](PyEngine& self, py::object now, std::string agent, std::string contact, py::object extension,
         std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 ExtendWrapUp{std::move(agent), std::move(contact),
                              SecondsAt(extension, "extension")});
      },
      py::arg("now"), py::arg("agent"), py::arg("contact"), py::arg("extension"), py::kw_only(),
      py::arg("actor") = py::none(),
      "Adds `extension` seconds to a timed wrap-up of a queue with mode timed_with_extension.");
  engine.def(
      "abandon",
      [](PyEngine& self, py::object now, std::string contact, std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor), AbandonContact{std::move(contact)});
      },
      py::arg("now"), py::arg("contact"), py::kw_only(), py::arg("actor") = py::none(),
      "The customer left before being connected (waiting or ringing).");
  engine.def(
      "remove",
      [](PyEngine& self, py::object now, std::string contact, std::string reason,
         std::optional<std::string> actor) {
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 RemoveContact{std::move(contact), std::move(reason)});
      },
      py::arg("now"), py::arg("contact"), py::arg("reason"), py::kw_only(),
      py::arg("actor") = py::none(), "Takes a waiting or ringing contact out, with a reason.");
  engine.def(
      "answer_overflow",
      [](PyEngine& self, py::object now, std::string contact, bool accepted,
         std::optional<std::string> actor, py::object callback_at) {
        std::optional<absl::Time> at;
        if (!callback_at.is_none()) at = TimeAt(callback_at, "callback_at");
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 AnswerOverflow{std::move(contact), accepted, at});
      },
      py::arg("now"), py::arg("contact"), py::arg("accepted").noconvert(), py::kw_only(),
      py::arg("actor") = py::none(), py::arg("callback_at") = py::none(),
      R"doc(The customer's answer to an overflow rule's offer (event overflow_offered).

accepted: True or False (nothing else). Accepted, the rule's action applies (callback or
    deflection); declined, the contact keeps waiting and the rule is spent (later rules still
    apply).
callback_at: for a scheduled callback, the time (seconds) the customer chose to be called
    back, instead of the rule's delay.
Raises NotFoundError for an unknown contact, FailedPreconditionError when no offer waits for
an answer (never made, answered already, or lapsed because an agent took the contact).)doc");
  engine.def(
      "report_callback",
      [](PyEngine& self, py::object now, std::string contact, std::string_view result,
         std::optional<std::string> actor) {
        const CallbackResult parsed = ParseCallbackResult(result);
        self.Run(TimeAt(now, "now"), ParseActor(actor),
                 ReportCallback{std::move(contact), parsed});
      },
      py::arg("now"), py::arg("contact"), py::arg("result"), py::kw_only(),
      py::arg("actor") = py::none(),
      R"doc(The result of the agent's dial attempt of a callback (event callback_dialing).

result: "connected" (the contact is connected with the agent and counts as answered, its wait
    from the original arrival), "no_answer" or "busy" (the agent is free again; the callback
    goes back to its place after the rule's retry_after, or ends with outcome callback_failed
    after its last attempt).
Raises NotFoundError for an unknown contact, FailedPreconditionError when the contact is not a
callback being dialled.)doc");
  engine.def(
      "advance_to",
      [](PyEngine& self, py::object now) { self.Run(TimeAt(now, "now"), Actor::Host(), Advance{}); },
      py::arg("now"),
      "Moves time forward to `now` and fires what fell due (offer timeouts, wrap-up ends, ...).");

  engine.def_property_readonly(
      "next_deadline",
      [](PyEngine& self) -> py::object {
        const std::optional<absl::Time> t = self.engine().NextDeadline();
        return t ? py::object(py::float_(TimeToSeconds(*t))) : py::none();
      },
      "Unix seconds at which something falls due (call advance_to then), or None.");
  engine.def_property_readonly(
      "now", [](PyEngine& self) { return OptionalTime(self.engine().now()); },
      "Unix seconds of the last command, or None before the first.");
  engine.def_property_readonly(
      "options", [](PyEngine& self) { return OptionsToDict(self.engine().options()); },
      "The options, as a dict (durations in seconds).");
  engine.def_static(
      "mapped_bytes", [] { return Engine::MappedBytes(); },
      "Bytes the engines in this process hold outside the heap: records past 16 MiB per engine,\n"
      "in 2 MiB blocks advised for transparent huge pages (Linux).");

  engine.def(
      "drain_events",
      &PyEngine::DrainEvents,
      R"doc(Events since the last call, oldest first, as switchboard.Event records (typed
attributes; also read as mappings of the same keys, as the dicts of earlier versions):
sequence, time (Unix s), type, actor, cause, contact, agent, queue, channel, from_state,
to_state, reason, target, outcome, deadline (Unix s), wait_s, ewt_s. target: the queue a
contact_transferred / transfer_limit_hit / transfer_target_full names, or where a contact_deflected customer goes.
overflow_offered: reason = the action offered ("callback" or "deflect"), target = the
deflection's target (None for a callback). callback_due: a scheduled callback or a callback's
next attempt is back in its queue. queue_opened / queue_closed: the queue only.
entry_rule_matched: the rule's queue (None for a deflection that names none) and reason
"rule N: <when>" or "rule N: default"; a deflection at entry follows as contact_deflected with
reason "entry_rule". A field that does not apply to the event's type is None (e.g.
from_state outside agent_state_changed, deadline when none).
If it raises (MemoryError), no event is lost: the next call returns them. At most
max_buffered_events wait (see Engine).)doc");

  engine.def(
      "queue_stats",
      [](PyEngine& self, std::string_view id) {
        return QueueStatsToPython(ValueOrThrow(self.engine().GetQueueStats(id)));
      },
      py::arg("id"),
      "Real-time statistics of a queue, a QueueStats record (durations in seconds); "
      "NotFoundError when unknown.");
  engine.def(
      "agent_stats",
      [](PyEngine& self, std::string_view id) {
        return AgentStatsToPython(ValueOrThrow(self.engine().GetAgentStats(id)));
      },
      py::arg("id"),
      "Real-time statistics of an agent, an AgentStats record (durations in seconds); "
      "NotFoundError when unknown.");
  engine.def(
      "contact",
      [](PyEngine& self, std::string_view id) {
        return ContactToPython(ValueOrThrow(self.engine().GetContact(id)));
      },
      py::arg("id"),
      "What the engine knows of a contact now, a ContactInfo record; NotFoundError when unknown "
      "or ended.");
  engine.def(
      "agent_contacts",
      [](PyEngine& self, std::string_view id) {
        return ContactsToList(ValueOrThrow(self.engine().GetAgentContacts(id)));
      },
      py::arg("id"),
      "The contacts an agent holds, as ContactInfo records like contact()'s: offered, connected (on hold, "
      "dialing), then those in wrap-up (state \"wrap_up\"; ended, so only id, queue, channel "
      "and agent are meaningful).");
  engine.def(
      "agent_queues",
      [](PyEngine& self, std::string_view id) {
        return StringsToList(ValueOrThrow(self.engine().GetAgentQueues(id)));
      },
      py::arg("id"), "Ids of the queues an agent serves, in the order it prefers them.");
  engine.def(
      "queue_contacts",
      [](PyEngine& self, std::string_view id) {
        return ContactsToList(ValueOrThrow(self.engine().GetQueueContacts(id)));
      },
      py::arg("id"),
      "The contacts waiting in a queue (its steps and entry-rule chains included), in the order "
      "it offers them: the "
      "higher priority class first, then virtual arrival (priority aging), then entry order; "
      "those held for a preferred agent last. ContactInfo records like contact()'s, with position (1: next on "
      "its channel), step and held_for. NotFoundError when the queue is unknown.");
  engine.def(
      "explain",
      [](PyEngine& self, std::string_view id) {
        return ExplanationToPython(ValueOrThrow(self.engine().Explain(id)));
      },
      py::arg("id"),
      R"doc(Why a waiting contact is still waiting, as an Explanation record (also a mapping): "contact" (as contact()),
"virtual_arrival", "requirement" (in force now), "agents" (each agent serving the queue:
{"agent", "reason", "until"}; reason one of logged_out, pending_change, missed_offer,
not_ready, at_capacity, requirement, held_for_another, reserve_inactive, queue_delay,
cooling_down, free; "until" when a queue delay or cool-down ends, or, for reserve_inactive,
the next check of the queue's reserve), "next_change" (when the engine changes the
picture by itself, or None) and "text" (the same in readable lines). NotFoundError when
unknown; FailedPreconditionError when the contact is not waiting.)doc");
  engine.def(
      "queues",
      [](PyEngine& self) { return StringsToList(self.engine().ListQueues()); },
      "Every queue's id, in the order they were added.");
  engine.def(
      "agents",
      [](PyEngine& self) { return StringsToList(self.engine().ListAgents()); },
      "Every agent's id, in the order they were added.");
  engine.def(
      "queue_stats_frame", [](PyEngine& self) { return QueueStatsFrame(self.engine()); },
      "queue_stats() of every queue as a pandas DataFrame: one row per queue, in the order they "
      "were added, indexed by id; the columns are queue_stats()'s keys. ImportError without "
      "pandas.");
  engine.def(
      "agent_stats_frame", [](PyEngine& self) { return AgentStatsFrame(self.engine()); },
      "agent_stats() of every agent as a pandas DataFrame: one row per agent, in the order they "
      "were added, indexed by id; the columns are agent_stats()'s keys. ImportError without "
      "pandas.");

  engine.def("set_host_scorer", &PyEngine::SetHostScorer, py::arg("scorer"),
             R"doc(Sets (or, with None, clears) the scorer of queues with strategy "host_score".

scorer(candidate) -> float is called for up to host_score_candidates agents (longest idle
first) per decision, inside the command that triggers it; the highest score wins, ties go to
the longest idle. candidate is a dict: agent, contact, queue, channel, idle_s,
contacts_handled, skill_score, attributes (the contact's). It must be deterministic and must not call the engine's
commands. If it raises, the decision falls back to the longest idle agent, the command
completes, and the exception is raised from the command.)doc");
  engine.def_property_readonly("host_scorer", &PyEngine::host_scorer,
                               "The scorer set by set_host_scorer, or None.");
  engine.def("__repr__", [](py::handle handle) {
    // Works on an object that was never initialized too: debuggers and tracebacks show it.
    if (!IsInitialized<PyEngine>(handle)) {
      return std::string("<switchboard.Engine, not initialized>");
    }
    PyEngine& self = py::cast<PyEngine&>(handle);
    const absl::Time now = self.engine().now();
    return "<switchboard.Engine now=" +
           (now == absl::InfinitePast() ? std::string("None")
                                        : std::string(py::repr(py::float_(TimeToSeconds(now))))) +
           ">";
  });
}

}  // namespace switchboard::python
