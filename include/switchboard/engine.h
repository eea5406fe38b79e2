// The routing engine: owns the routing state and decides which agent handles which contact, and
// when. The host owns channels, storage and the clock.
//
// Example:
//   Engine engine;
//   absl::Time t = absl::FromUnixSeconds(1700000000);
//   engine.AddQueue(t, {.id = "support", .requirement = "support >= 1"});
//   engine.AddAgent(t, {.id = "a1", .skills = {{"support", 5}}});
//   engine.Login(t, "a1", /*ready=*/true);
//   engine.AddContact(t, {.id = "c1", .queue = "support"});   // offered to a1 at once
//   for (const Event& e : engine.DrainEvents()) std::cout << FormatEvent(e) << "\n";
//   engine.Accept(t + absl::Seconds(3), "a1", "c1");
//
// With options other than the defaults:
//   absl::StatusOr<Engine> engine = Engine::Create({.offer_timeout = absl::Seconds(20)});
//   if (!engine.ok()) return engine.status();   // InvalidArgument naming the option
//
// Contract:
//  - Options are fixed when the engine is made, and valid: Engine() takes the defaults and
//    Engine::Create refuses options out of range, so no command fails because of them.
//  - Deterministic: the same commands with the same times give the same decisions and the same
//    events, byte for byte. No clock, no threads, no I/O inside.
//  - Every command takes the host's `now`, which never goes backwards (OutOfRange otherwise), and
//    first fires whatever fell due up to `now` (as Advance does): that time has passed, whatever
//    the command turns out to be.
//  - A command that returns an error then changes nothing more and says what was wrong, with an
//    absl code: commands.h states each command's codes and when.
//  - NextDeadline() tells the host when to call again (Advance) if nothing else happens.
//  - Cost: a routing decision grows at most logarithmically with agents and waiting contacts;
//    no command walks all agents or all waiting contacts, except AddQueue and AddAgent
//    (configuration). commands.h states each command's cost and the steps that are amortized.
// Not thread-safe: call it from one thread (the host's event loop) at a time, or wrap it in a
// SharedEngine (switchboard/shared_engine.h) for many threads. NextDeadline() writes (see there)
// although const; the other const methods only read.
#ifndef SWITCHBOARD_ENGINE_H_
#define SWITCHBOARD_ENGINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "switchboard/attributes.h"
#include "switchboard/commands.h"
#include "switchboard/events.h"
#include "switchboard/interval_stats.h"
#include "switchboard/limits.h"
#include "switchboard/skills.h"
#include "switchboard/stats.h"
#include "switchboard/strategy.h"

namespace switchboard {

namespace detail {
class ResolvedEngine;
}  // namespace detail

struct EngineOptions {
  // How long an offer rings before it times out (RONA). Default 15 s; > 0.
  absl::Duration offer_timeout = absl::Seconds(15);
  // After a rejected or timed-out offer the contact is not offered to the same agent again for
  // this long. Default 60 s; >= 0.
  absl::Duration rona_cooldown = absl::Seconds(60);
  // After this many consecutive missed (rejected or timed-out) offers the agent goes not ready
  // with reason "missed_offer"; 0 never. Default 2.
  int max_consecutive_misses = 2;
  // Below that count, the agent is not ready ("offer_rejected" / "offer_timed_out") for this
  // long and then available again. Defaults 0 s (at once) and 10 s; >= 0.
  absl::Duration reject_delay = absl::ZeroDuration();
  absl::Duration timeout_delay = absl::Seconds(10);
  // One point of contact priority counts as this much extra waiting. Default 60 s; >= 0.
  absl::Duration aging_unit = absl::Seconds(60);
  // Window of the least_occupied strategy's occupancy. Default 30 min; > 0.
  absl::Duration occupancy_window = absl::Minutes(30);
  // Seed of the generator behind Strategy::kRandom.
  uint64_t seed = 1;
  // Candidates (longest idle first) the host scorer sees per decision. Default 16; 1..4096.
  int host_score_candidates = 16;
  // Keep events for DrainEvents (when no sink is set). Off: no events are built at all, which
  // the simulator uses for speed. Default on.
  bool record_events = true;
  // Bound of the buffer DrainEvents empties. While it holds this many events, every command
  // (AdvanceTo too) is refused with ResourceExhausted and fires nothing, so no event is ever
  // dropped; the host drains, then retries. A command whose due deadlines fill the buffer stops
  // firing them there (now() is the last one fired) and is refused the same way. Past the bound
  // by at most one deadline's or one command's own events. Default 100,000 (about 25 MB); >= 1.
  int64_t max_buffered_events = kDefaultMaxBufferedEvents;
  // Once the records of agents and contacts pass 16 MiB (about 35k agents), keep the rest in
  // 2 MiB blocks advised for transparent huge pages (Linux; Engine::MappedBytes counts them),
  // which spares a large engine page-table walks. Off: every record on the heap. Default on.
  bool huge_page_records = true;
  // Size the agent and contact id tables for this many at once (8-byte slots, at most three
  // quarters full). Tables grow on demand anyway, without a pause: growing moves the old
  // entries a few per later command. Pre-sizing spares that work and the page faults of
  // growing, and keeps the first commands as fast as the later ones. Default 0 (grow from
  // empty); 0..kMaxExpectedEntries.
  int64_t expected_agents = 0;
  int64_t expected_contacts = 0;
  // Estimated wait: the time between serves a queue assumes before it has served any waiting
  // contact (its estimate then moves towards what it measures). Default 30 s; > 0.
  absl::Duration ewt_initial_interval = absl::Seconds(30);
  // Transfers by overflow rules one contact may make: a rule that would pass it does not fire
  // (event transfer_limit_hit; the next rule may), which bounds a chain of queues that each
  // transfer onwards. Default 3; 0..kMaxTransfers.
  int max_transfers = 3;
  // Length of the intervals of GetIntervalStats, aligned to multiples of it since the Unix epoch
  // (UTC). Default 15 min; a divisor of 24 h (15, 30 or 60 min, ...) of at least 1 s.
  absl::Duration stats_interval = absl::Minutes(15);
};

// What the engine knows of a contact now.
struct ContactInfo {
  std::string id;
  std::string queue;
  Channel channel = Channel::kVoice;
  ContactState state = ContactState::kWaiting;
  // The agent offered or connected; empty while waiting. A contact ringing at several agents
  // (QueueConfig::ring_agents): the first chosen that still rings (GetAgentContacts(agent)
  // lists it with that agent).
  std::string agent;
  absl::Time arrival;
  int priority = 0;
  int priority_class = 0;
  Attributes attributes;
  // While waiting: the estimated wait from now, (contacts ahead + 1) x the queue's recent time
  // between serves (docs/policies.md); 0 otherwise. O(contacts ahead) to compute.
  absl::Duration estimated_wait;
  // While waiting: its place among the contacts of its queue and channel waiting to be offered
  // (1: next; one held for a preferred agent counts as at the back, as for estimated_wait);
  // the requirement step its wait has reached (0: the queue's own requirement); and the agent
  // it is held for, if any. 0, 0 and empty otherwise.
  int64_t position = 0;
  int step = 0;
  std::string held_for;
};

// Why a waiting contact is still waiting (Engine::Explain).
struct Explanation {
  ContactInfo contact;          // its place, step, estimate and preferred agent
  absl::Time virtual_arrival;   // its arrival moved earlier by its priority (aging)
  std::string requirement;      // the requirement in force for it now
  // Each agent that serves the contact's queue (any of its steps), and why it has not taken
  // the contact: "logged_out", "pending_change", "missed_offer", "not_ready", "at_capacity"
  // (as AgentStats::not_routable_reason, at_capacity for the contact's channel),
  // "requirement" (does not meet the requirement in force), "held_for_another" (the contact
  // is held for its preferred agent), "queue_delay" (the agent's delay for the queue is not
  // reached yet), "cooling_down" (it missed this contact: RONA cool-down), or "free" (it may
  // take the contact now; it will at the next routing decision). `until`: when a queue delay
  // or cool-down ends (InfiniteFuture otherwise).
  struct Agent {
    std::string id;
    std::string reason;
    absl::Time until = absl::InfiniteFuture();
  };
  std::vector<Agent> agents;
  // The next time the engine changes the picture by itself (its next step, the end of its
  // preferred agent's time, a queue delay or cool-down ending, its next wait rule); none if
  // only a command can.
  std::optional<absl::Time> next_change;
  // The same, in a few readable lines.
  std::string text;
};

// Why a ringing offer went to its agent (Engine::ExplainOffer).
struct OfferExplanation {
  std::string contact;
  std::string agent;      // the agent it rings at
  std::string queue;
  std::string strategy;   // the queue's (StrategyName)
  // The strategy's key of the agent, in words: "free since 2026-03-02T08:03:10+00:00 (190 s before
  // now)" (longest idle, host score), "skill score 7 ..." (most skilled), "occupancy 41.0 %"
  // (least occupied), "3 contact(s) since login" (fewest contacts), ...; or why the strategy
  // did not choose it (a preferred agent, an assignment, a direct transfer).
  std::string agent_key;
  // Whom the strategy would pick now if the agent declined: the best other agent free for the
  // contact in its queue's pools, and its key; empty when none (or for random, a draw).
  std::string runner_up;
  std::string runner_up_key;
  std::string text;  // the same in a sentence or two
};

// A constructed Engine always holds options that pass ValidateOptions: the default ones
// (Engine()) or those Create accepted.
class Engine {
 public:
  // An engine with the default options (EngineOptions{}). Cannot fail.
  Engine();
  // The only way to pass options: an engine with `options`, or, when one is out of range, no
  // engine and ValidateOptions' InvalidArgument naming the first such field, e.g.
  //   "offer_timeout is 0; expected a duration of at least 1us and at most 100000h"
  static absl::StatusOr<Engine> Create(EngineOptions options);
  ~Engine();
  // Movable: the moved-from engine may only be destroyed or assigned to.
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // The single entry point: applies one command at `command.now` on behalf of `command.actor`.
  // Errors and cost: those of the command (commands.h).
  absl::Status Execute(const Command& command);

  // Shorthands: each does exactly what Execute does with the Command it names (without
  // building one, which matters on the hot path), with the same errors and cost: AddQueue,
  // AddAgent, Login, Logout, SetReady, SetNotReady and AddContact as their namesakes; Accept,
  // Reject, Hold, Resume and Complete as AcceptOffer, RejectOffer, HoldContact, ResumeContact and
  // CompleteContact; EndWrapUp, ExtendWrapUp; Abandon and Remove as AbandonContact and
  // RemoveContact; AdvanceTo as Advance.
  absl::Status AddQueue(absl::Time now, QueueConfig config, Actor actor = Actor::Host());
  absl::Status AddAgent(absl::Time now, AgentConfig config, Actor actor = Actor::Host());
  absl::Status Login(absl::Time now, std::string_view agent, bool ready = false,
                     Actor actor = Actor::Host());
  absl::Status Logout(absl::Time now, std::string_view agent, bool after_contacts = false,
                      Actor actor = Actor::Host());
  absl::Status SetReady(absl::Time now, std::string_view agent, Actor actor = Actor::Host());
  absl::Status SetNotReady(absl::Time now, std::string_view agent, std::string_view reason,
                           bool after_contacts = false, Actor actor = Actor::Host());
  absl::Status AddContact(absl::Time now, ContactConfig config, Actor actor = Actor::Host());
  absl::Status Accept(absl::Time now, std::string_view agent, std::string_view contact,
                      Actor actor = Actor::Host());
  absl::Status Reject(absl::Time now, std::string_view agent, std::string_view contact,
                      Actor actor = Actor::Host());
  absl::Status Hold(absl::Time now, std::string_view agent, std::string_view contact,
                    Actor actor = Actor::Host());
  absl::Status Resume(absl::Time now, std::string_view agent, std::string_view contact,
                      Actor actor = Actor::Host());
  absl::Status Complete(absl::Time now, std::string_view agent, std::string_view contact,
                        Actor actor = Actor::Host());
  absl::Status EndWrapUp(absl::Time now, std::string_view agent, std::string_view contact = {},
                         Actor actor = Actor::Host());
  absl::Status ExtendWrapUp(absl::Time now, std::string_view agent, std::string_view contact,
                            absl::Duration extension, Actor actor = Actor::Host());
  absl::Status Abandon(absl::Time now, std::string_view contact, Actor actor = Actor::Host());
  absl::Status Remove(absl::Time now, std::string_view contact, std::string_view reason,
                      Actor actor = Actor::Host());
  absl::Status AnswerOverflow(absl::Time now, std::string_view contact, bool accepted,
                              Actor actor = Actor::Host(),
                              std::optional<absl::Time> callback_at = std::nullopt);
  absl::Status ReportCallback(absl::Time now, std::string_view contact, CallbackResult result,
                              Actor actor = Actor::Host());
  absl::Status SetEntryRules(absl::Time now, std::vector<EntryRule> rules,
                             Actor actor = Actor::Host());
  absl::Status AdvanceTo(absl::Time now);

  // The earliest time something falls due (offer timeout, wrap-up end, preferred-agent
  // timeout, end of a missed-offer delay or RONA cool-down, a queue delay reached, a
  // requirement step, an overflow rule's wait, a callback coming due), or nullopt.
  // Amortized O(log T), T the timers pending (O(1) from a timer lane): timers gone stale, such
  // as the timeout of an offer already answered, are dropped here, each once.
  std::optional<absl::Time> NextDeadline() const;

  // The time of the last command (InfinitePast before the first).
  absl::Time now() const;

  // The engine's whole state as canonical JSON text: the same commands at the same times give
  // byte-identical dumps, and two engines whose dumps are equal decide every later command alike.
  // It covers the options; now; the random generator's state; the skill registry; every queue
  // record (its configuration as given, counters, estimated-wait state, waiting contacts in
  // service order with their keys, agent tiers, reserve, overflow and opening-hours state); every
  // agent (configuration, state, reasons, pending change, load, contacts, offers, wrap-ups,
  // served queues, statistics); every contact slot (all fields, cool-downs, copies, consults,
  // the agents a multi-offer rings at) and the free slots; the live timers in firing order; the
  // entry rules; the interval statistics; the id, token and sequence counters; and the number of
  // events buffered. Left out: what is a function of the above (id tables, agent pools' entries,
  // arrival orders), the host's hooks (event sink, scorer, listeners), the buffered events
  // themselves, and timers gone stale (which of those are still stored depends on whether
  // NextDeadline looked past them, a query). Times are RFC 3339 in UTC to the microsecond (null:
  // none), durations integer nanoseconds, objects in a fixed key order, lists by index or in the
  // engine's own order. For recovery checks (replay a journal into a fresh engine, compare
  // dumps) and support, not for the hot path: O(state) time and text. Changes nothing.
  std::string DumpState() const;

  // The inverse of DumpState, for snapshots: an engine whose state is the one `dump` describes,
  // so that every later command gives the same results, events and dumps as it would have on
  // the engine that wrote it. Restored: everything DumpState writes, and what it leaves out as
  // a function of it (id tables, agent pools with their member numbers and order, waiting
  // sets, arrival orders, opening schedules compiled from the queues' hours as AddQueue compiles
  // them, timers in their set order, ...); a queue's open flag and next hours change are the
  // dumped ones. Not restored: the host's hooks (set the event sink and scorer again) and the
  // buffered events (the engine starts with none).
  // Errors, each naming the JSON path of the first problem ("snapshot: $.agents[3].load: ..."):
  //  - FailedPrecondition: `dump` is of another format version than this engine writes (both
  //    named);
  //  - DataLoss: text that is not JSON, truncated, of the wrong shape, or inconsistent (records
  //    that disagree with each other, or an engine that would not dump back to `dump` byte for
  //    byte). A factory: bad input leaves nothing behind. O(state) time and memory.
  static absl::StatusOr<Engine> LoadState(std::string_view dump);

  // Events produced since the last call, oldest first (empty when a sink is set or
  // record_events is off). O(events returned); emptying the buffer lets refused commands
  // (ResourceExhausted) through again.
  std::vector<Event> DrainEvents();
  // Events go to `sink` (not owned; nullptr to return to the buffer) as they happen.
  void SetEventSink(EventSink* sink);

  // Used by queues with Strategy::kHostScore; without one they fall back to longest idle.
  void SetHostScorer(HostScorer scorer);

  // Statistics as of now(). NotFound for an unknown id (InvalidArgument for one that could not
  // be an id). Each is an id lookup and O(1) for a queue; O(states) for an agent; O(contacts it
  // holds) for an agent's contacts, O(queues it serves) for its queues.
  absl::StatusOr<QueueStats> GetQueueStats(std::string_view queue) const;
  absl::StatusOr<AgentStats> GetAgentStats(std::string_view agent) const;
  absl::StatusOr<ContactInfo> GetContact(std::string_view contact) const;
  // The contacts an agent holds: offered, connected (or on hold, dialing), then those whose
  // wrap-up runs (state kWrapUp; the contact itself has ended, so only its id, queue, channel
  // and agent are known).
  absl::StatusOr<std::vector<ContactInfo>> GetAgentContacts(std::string_view agent) const;
  // Ids of the queues an agent serves (itself or through a requirement step), in the order it
  // prefers them.
  absl::StatusOr<std::vector<std::string>> GetAgentQueues(std::string_view agent) const;
  // The contacts waiting in a queue (its steps and entry-rule chains included), in the order it
  // offers them: strict priority class first, then virtual arrival (priority aging), then entry
  // order; those held for a preferred agent last, in the same order. A copy a copy rule put
  // here is listed under its contact's id (with this queue, and its place here), as the
  // queue's waiting count counts it. O(agents + n log n) for n waiting.
  absl::StatusOr<std::vector<ContactInfo>> GetQueueContacts(std::string_view queue) const;
  // Why the waiting contact `contact` has not been offered: see Explanation. FailedPrecondition
  // when it is not waiting; NotFound when unknown. O(agents x queues each serves + contacts
  // ahead of it).
  absl::StatusOr<Explanation> Explain(std::string_view contact) const;
  // A queue's, an agent's or a team's statistics now and for the current and previous
  // intervals of options().stats_interval (switchboard/interval_stats.h; definitions in
  // docs/operations.md, "Live statistics"). Built from events: FailedPrecondition when events
  // are off (no record_events and no sink); counts only what happened while they were on.
  // NotFound for an unknown id (a team is known once an agent in it was added; InvalidArgument
  // for one that could not be an id). O(1) for an agent; O(its agents) for a team; O(agents)
  // for a queue (its agents by state).
  absl::StatusOr<IntervalStats> GetIntervalStats(StatsScope scope, std::string_view id) const;
  // Why the ringing contact `contact` went to its agent, and who is next: see OfferExplanation.
  // The keys are the agents' as of now (an agent's key changes only as its state and load do).
  // FailedPrecondition when it is not ringing; NotFound when unknown. O(tiers × log A).
  absl::StatusOr<OfferExplanation> ExplainOffer(std::string_view contact) const;
  // Every queue's id, and every agent's, in the order they were added.
  std::vector<std::string> ListQueues() const;
  std::vector<std::string> ListAgents() const;

  const SkillRegistry& skills() const;
  const EngineOptions& options() const;

  // Bytes that the engines in this process hold outside the heap: once an engine's records pass
  // 16 MiB (about 35k agents), the rest go to 2 MiB blocks advised for transparent huge pages
  // (Linux; docs/performance.md). malloc's statistics do not see them; a host that accounts
  // memory through those adds these.
  static int64_t MappedBytes();

 private:
  // The simulator, a host inside the library, drives the engine below Execute (see
  // docs/architecture.md).
  friend class detail::ResolvedEngine;
  class Impl;
  // `impl` holds options that passed ValidateOptions.
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// OK, or InvalidArgument naming the first option out of range (what Engine::Create refuses).
absl::Status ValidateOptions(const EngineOptions& options);

}  // namespace switchboard

#endif  // SWITCHBOARD_ENGINE_H_
