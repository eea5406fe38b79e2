// The engine's implementation class: state, command handlers, routing and timers.
// The shell and entry point are in engine.cc, the command handlers in config_commands.cc,
// agent_commands.cc and contact_commands.cc, routing (offers and the two directions of matching)
// in routing.cc; docs/architecture.md maps the rest.
#ifndef SWITCHBOARD_SRC_CORE_ENGINE_IMPL_H_
#define SWITCHBOARD_SRC_CORE_ENGINE_IMPL_H_

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "index/agent_pool.h"
#include "core/agent_state_machine.h"
#include "core/interval_stats.h"
#include "index/arrival_order.h"
#include "base/calendar.h"
#include "base/durations.h"
#include "base/id_index.h"
#include "base/random.h"
#include "core/records.h"
#include "core/state_load.h"
#include "switchboard/contact_condition.h"
#include "switchboard/engine.h"
#include "switchboard/entry_rules.h"
#include "index/waiting_set.h"

namespace switchboard {

namespace detail {
class JsonWriter;
}  // namespace detail

using detail::AgentIndex;
using detail::ContactSlot;
using detail::Micros;
using detail::QueueIndex;

// Agents of one (queue, channel) that may take contacts once they have waited `min_wait`; a
// reserve tier's, only while the queue's reserve is active (Queue::reserve_active).
struct Tier {
  Micros min_wait = 0;
  bool reserve = false;
  int64_t key = 0;  // TierKey(min_wait, reserve): what FindTier compares, the order of tiers
  detail::AgentPool pool;
  Tier(Micros wait, bool is_reserve, detail::AgentPool::Layout layout)
      : min_wait(wait), reserve(is_reserve), key(TierKey(wait, is_reserve)), pool(layout) {}
  // Minimum waits are at most kMaxDuration (2^49 µs): one more bit fits.
  static int64_t TierKey(Micros min_wait, bool reserve) {
    return min_wait * 2 + (reserve ? 1 : 0);
  }
};

// A queue's reserve policy (QueueConfig::reserve; reserve.cc) and the contacts decided within
// its window, for the service level over it.
struct ReserveState {
  double activate_below = 0;
  double deactivate_at = 0;
  Micros activate_wait = 0;
  Micros deactivate_wait = 0;
  Micros window = 0;
  Micros check_every = 0;
  // Contacts answered or abandoned, oldest first: when, and whether answered within the
  // queue's threshold; `within` counts the latter.
  std::deque<std::pair<Micros, bool>> decided;
  int64_t within = 0;
  // The live kReserveCheck timer's time; max: none.
  Micros check_at = std::numeric_limits<Micros>::max();
};

struct QueueCounters {
  int64_t offered = 0;
  int64_t rejected = 0;
  int64_t answered = 0;
  int64_t answered_within_threshold = 0;
  int64_t abandoned = 0;
  int64_t removed = 0;
  int64_t completed = 0;
  int64_t offers = 0;
  int64_t offers_missed = 0;
  int64_t overflowed = 0;
  int64_t transferred = 0;
  int64_t callbacks = 0;
  int64_t callbacks_connected = 0;
  int64_t callbacks_failed = 0;
  int64_t deflected = 0;
  int64_t voicemail = 0;
  int64_t disconnected = 0;
  Micros total_answer_wait = 0;
  // Estimated wait at entry minus the wait, over answered contacts.
  Micros ewt_error_sum = 0;
  Micros ewt_abs_error_sum = 0;
  std::map<std::string, int64_t, std::less<>> dispositions;  // completed, per code given
};

// A queue the host added, one of its requirement steps, or a record of an entry rule's variant
// chain. Each is a queue of its own for routing (its waiting contacts, its agent pools), with
// the config of the queue it belongs to (so events name that queue) and its own requirement; only
// the home record has an id in queue_ids_. What is counted per queue (counters, the waiting
// count, the arrival order) is kept in the home record for all its records.
struct Queue {
  // A requirement step: from `after` of waiting on, contacts wait in `queue`.
  struct Step {
    Micros after = 0;
    QueueIndex queue = detail::kNoIndex;
  };

  QueueConfig config;
  Requirement requirement;
  // A queue is a chain of records: the queue itself (its home record), then one per requirement
  // step. An entry rule with a requirement of its own adds a variant chain to the queue: records
  // whose requirements are the queue's (and its steps') and the rule's. Every record of a queue
  // counts in its home record, which holds the statistics, rules and hours.
  QueueIndex home = detail::kNoIndex;   // the home record's index
  QueueIndex chain = detail::kNoIndex;  // the first record of this record's chain
  uint8_t step = 0;                     // position in the chain: 0, then 1, 2, ... per step
  std::vector<Step> steps;              // in a chain's first record: its steps, in order
  std::vector<QueueIndex> members;      // in a home record: the queue's other records
  std::string own_requirement;          // in a variant chain's first record: the rule's
  // Estimated wait (home queues): the smoothed time between serves of waiting contacts, measured
  // while some wait, and the time it is measured from (the last serve, or when the queue last
  // stopped being empty).
  double serve_interval = 0;  // microseconds
  Micros last_serve = 0;
  Micros service_level_threshold = 0;
  // Waiting contacts per channel, in service order.
  std::array<detail::WaitingSet, kChannelCount> waiting;
  // Waiting contacts (including those held for a preferred agent) by real arrival, for the
  // longest wait.
  detail::ArrivalOrder by_arrival;
  int64_t waiting_count = 0;
  // Agent pools per channel, one per distinct minimum wait, sorted by it.
  std::array<std::vector<std::unique_ptr<Tier>>, kChannelCount> tiers;
  AgentIndex round_robin_cursor = detail::kNoIndex;
  // Pending re-check of a channel whose contacts will reach a delayed tier; max: none.
  std::array<Micros, kChannelCount> recheck_at;
  QueueCounters counters;
  // Overflow rules (home queues; overflow.cc), with their transfer targets resolved.
  struct Rule {
    OverflowRule config;
    QueueIndex target = detail::kNoIndex;  // kTransfer: the target's index
    Micros wait = 0;                       // kWait: the wait in the queue
  };
  std::vector<Rule> overflow;
  // The kWait rules' indexes in the order they fall due: by wait, then as listed. A contact's
  // next_rule and a kOverflowWait timer hold a position in this list.
  std::vector<uint8_t> wait_rules;
  bool arrival_rules = false;  // some rule fires on arrival (not only kWait)
  bool no_agents_rules = false;
  bool closed_rules = false;
  // Opening hours (home queues that have them): whether open now, and when that next changes
  // (the live kQueueHours timer's time).
  std::shared_ptr<const OpeningSchedule> schedule;
  bool open = true;
  Micros hours_change = 0;
  // Logged-in agents that serve the queue or one of its steps (home queues).
  int64_t logged_in_agents = 0;
  // Home queues: changes of its overflow rules (UpdateQueue), part of each kOverflowWait timer
  // so that the timers of the rules it had die with them (16 bits: a timer would have to
  // outlive 65,536 changes to be taken for a live one).
  uint16_t rules_epoch = 0;
  // RemoveQueue: no longer routed to, served or listed; the record stays (indexes are stable).
  bool removed = false;
  // Home queues: whether reserve members take its contacts now, and its reserve policy (none
  // without one).
  bool reserve_active = false;
  std::unique_ptr<ReserveState> reserve;

  Queue() { recheck_at.fill(std::numeric_limits<Micros>::max()); }
};

// An entry rule (entry_rules.h), checked, with its queue resolved.
struct EntryRuleRecord {
  ContactCondition when;
  QueueIndex queue = detail::kNoIndex;  // kNoIndex: none (a deflection counted nowhere)
  QueueIndex entry = detail::kNoIndex;  // the chain the contact enters: the queue's, or the
                                        // variant chain of the rule's own requirement
  std::optional<int> priority;
  std::optional<int> priority_class;
  std::string deflect;
  std::string description;  // the event's reason: "rules[1]: <condition>" or "rules[1]: default"
};

enum class TimerKind : uint8_t {
  // Timers due at the same time fire in this order, then in the order they were set.
  kOfferTimeout,
  kWrapUpEnd,
  kMissedOfferDelay,
  kPreferredTimeout,
  kCooldownEnd,
  kRequirementStep,  // a = contact slot, b = the step it reaches (1, 2, ...)
  kOverflowWait,     // a = contact slot, b = rules_epoch << 16 | transfers << 8 | position
                     // in wait_rules, token = sequence
  kCallbackDue,      // a = contact slot, token = sequence
  kNoAgents,         // a = home queue: its last logged-in agent logged out
  kQueueHours,       // a = home queue: it opens or closes
  kHoldLimit,        // a = contact slot, token = the hold's (Contact::offer_token)
  kReserveCheck,     // a = home queue
  kQueueRecheck,
};
inline constexpr size_t kTimerKinds = static_cast<size_t>(TimerKind::kQueueRecheck) + 1;

using Timer = detail::CalendarEntry<TimerKind>;

class Engine::Impl {
 public:
  // `options` pass ValidateOptions (Engine::Create checks them; the defaults do).
  explicit Impl(EngineOptions options);

  absl::Status Execute(const Command& command);
  // What Execute does for one body, without building a Command (the Engine's shorthands).
  template <typename Body>
  absl::Status Run(absl::Time now, const Actor& actor, const Body& body) {
    absl::Status status = Begin(now, actor, [] { return NameOf<Body>(); });
    if (!status.ok()) return status;
    return Apply(body);
  }
  // The commands hosts send most, with the ids as views: no copies on the way in.
  absl::Status RunAccept(absl::Time now, const Actor& actor, std::string_view agent,
                         std::string_view contact);
  absl::Status RunComplete(absl::Time now, const Actor& actor, std::string_view agent,
                           std::string_view contact);
  std::optional<absl::Time> NextDeadline() const;
  absl::Time now() const;
  std::vector<Event> DrainEvents();
  void SetEventSink(EventSink* sink) { sink_ = sink; }
  void SetHostScorer(HostScorer scorer) { scorer_ = std::move(scorer); }
  absl::StatusOr<QueueStats> GetQueueStats(std::string_view queue) const;
  absl::StatusOr<AgentStats> GetAgentStats(std::string_view agent) const;
  absl::StatusOr<ContactInfo> GetContact(std::string_view contact) const;
  absl::StatusOr<std::vector<std::string>> GetAgentQueues(std::string_view agent) const;
  absl::StatusOr<std::vector<ContactInfo>> GetAgentContacts(std::string_view agent) const;
  absl::StatusOr<std::vector<ContactInfo>> GetQueueContacts(std::string_view queue) const;
  std::vector<std::string> ListQueues() const;
  std::vector<std::string> ListAgents() const;
  absl::StatusOr<Explanation> Explain(std::string_view contact) const;
  absl::StatusOr<OfferExplanation> ExplainOffer(std::string_view contact) const;
  absl::StatusOr<IntervalStats> GetIntervalStats(StatsScope scope, std::string_view id) const;
  const SkillRegistry& skills() const { return skills_; }
  const EngineOptions& options() const { return options_; }
  // Engine::DumpState (state_dump.cc; agents and contacts in state_dump_records.cc).
  std::string DumpState() const;
  // Engine::LoadState (state_load.cc; agents and contacts in state_load_records.cc).
  static absl::StatusOr<std::unique_ptr<Impl>> LoadState(std::string_view dump);

  // ---- The resolved layer below Execute, for the simulator through ResolvedEngine
  // (resolved_engine.h, which states the contract).
  class OfferListener {
   public:
    virtual ~OfferListener() = default;
    // Called for every offer as it is made; must not call back into the engine.
    virtual void OnOffer(ContactSlot contact, AgentIndex agent) = 0;
  };
  // With `accepts_at_once` the listener promises to accept every offer before time moves on,
  // so offers get no timeout timer (no offer can time out).
  void SetOfferListener(OfferListener* listener, bool accepts_at_once = false) {
    offer_listener_ = listener;
    listener_accepts_at_once_ = listener != nullptr && accepts_at_once;
  }
  // Hears what overflow rules and callbacks do to contacts; must not call back into the engine
  // from these calls.
  class PolicyListener {
   public:
    virtual ~PolicyListener() = default;
    // The customer is asked the offer of overflow rule `rule` of its queue
    // (AnswerOverflowByIndex answers it).
    virtual void OnAsked(ContactSlot contact, size_t rule) = 0;
    // The customer accepted the callback of rule `rule`: it is off the line, its place (or
    // time) kept.
    virtual void OnCallback(ContactSlot contact, size_t rule) = 0;
    // A rule moved the contact from one home queue to another.
    virtual void OnTransferred(ContactSlot contact, QueueIndex from, QueueIndex to) = 0;
    // A rule or a failed callback ended the contact (its slot is freed right after).
    virtual void OnEnded(ContactSlot contact, ContactOutcome outcome) = 0;
  };
  void SetPolicyListener(PolicyListener* listener) { policy_listener_ = listener; }
  void AnswerOverflowByIndex(ContactSlot contact, bool accepted);
  // Whether the contact with this slot and sequence still waits for the answer to an offer of
  // rule `rule` (a later rule may have ended, moved or re-asked it meanwhile).
  bool IsAsked(ContactSlot contact, uint64_t sequence, size_t rule) const {
    const Contact& c = contacts_[contact];
    return c.in_use && c.sequence == sequence && c.asked && c.policy_rule == rule &&
           c.state == ContactState::kWaiting;
  }
  void ReportCallbackByIndex(ContactSlot contact, CallbackResult result);
  bool IsDialing(ContactSlot contact) const {
    return contacts_[contact].in_use && contacts_[contact].state == ContactState::kDialing;
  }
  // Fires the timers due up to `now` and moves time there (AdvanceTo without the checks).
  void MoveTo(Micros now);
  Micros NextDeadlineMicros() const;
  // The first entry rule whose condition `attributes` meet, or null (entry_rules.cc).
  const EntryRuleRecord* MatchEntryRule(const Attributes& attributes) const;
  // The requirements of a variant chain of `home` for an entry rule's own requirement `own`:
  // each of the queue's (then its steps') combined with it.
  std::vector<std::string> ChainRequirements(QueueIndex home, std::string_view own) const;
  // The variant chain of `home` for an entry rule's own requirement: found, or created with
  // its records indexed for the agents that serve them. `parsed` holds the chain's combined
  // requirements (first record, then each step), parsed.
  QueueIndex VariantChain(QueueIndex home, const std::string& own,
                          std::vector<Requirement> parsed);
  // Contacts in the engine (waiting, ringing, connected or waiting to be called back).
  size_t LiveContacts() const { return contacts_.size() - free_slots_.size(); }
  // The slot the next contact created will take.
  ContactSlot NextContactSlot() const {
    return free_slots_.empty() ? static_cast<ContactSlot>(contacts_.size()) : free_slots_.back();
  }
  // A contact without a host id; returns its slot (valid until it ends).
  ContactSlot AddContactByIndex(QueueIndex queue, Channel channel, Micros arrival, int priority,
                                int priority_class = 0);
  void AcceptByIndex(AgentIndex agent, ContactSlot contact);
  // Completes a connected contact; returns the token of its wrap-up, or 0 when none.
  uint64_t CompleteByIndex(AgentIndex agent, ContactSlot contact);
  // Ends the wrap-up with `token` if it is still running.
  void EndWrapUpByToken(AgentIndex agent, uint64_t token);
  // Abandons a waiting or ringing contact.
  void AbandonByIndex(ContactSlot contact);
  // Waiting or ringing: not yet answered.
  bool IsUnanswered(ContactSlot contact) const {
    const Contact& c = contacts_[contact];
    return c.in_use && (c.state == ContactState::kWaiting || c.state == ContactState::kOffered);
  }
  bool IsOfferedTo(ContactSlot contact, AgentIndex agent) const {
    const Contact& c = contacts_[contact];
    return c.in_use && c.state == ContactState::kOffered && c.agent == agent;
  }
  uint64_t SequenceOf(ContactSlot contact) const { return contacts_[contact].sequence; }
  // The wait estimated for the contact when it entered.
  Micros EstimateAtEntry(ContactSlot contact) const {
    return Micros{contacts_[contact].ewt_ms} * 1000;
  }
  // Identifies the contact's current offer (a new one each time it is offered).
  uint64_t OfferTokenOf(ContactSlot contact) const { return contacts_[contact].offer_token; }
  absl::StatusOr<QueueIndex> QueueIndexOf(std::string_view id) const { return FindQueue(id); }
  // (busy + wrap-up) time and logged-in time of an agent up to now, in microseconds.
  std::pair<Micros, Micros> WorkAndLoggedIn(AgentIndex agent) const;

 private:
  using Agent = detail::Agent;
  using Contact = detail::Contact;
  // An agent lookup fetches the record's first two lines: the id it compares, and the offers
  // and connected contacts that every per-contact command reads next.
  using AgentIds = detail::IdIndex<detail::ChunkedVector<Agent, 6>, 128>;
  using ContactIds = detail::IdIndex<detail::ChunkedVector<Contact>>;

  // The start of every command: the time must be finite and not go backwards; timers due
  // before it fire; then actor and cause are set. `name` is called only for the error.
  absl::Status Begin(absl::Time now, const Actor& actor,
                     absl::FunctionRef<std::string_view()> name);
  template <typename Body>
  static std::string_view NameOf() {
    return CommandName(CommandBody(std::in_place_type<Body>));
  }

  // ---- Command handlers (config_commands.cc, agent_commands.cc, contact_commands.cc): validate
  // everything, then apply.
  absl::Status Apply(const switchboard::AddQueue& command);
  // The overflow rules' errors (AddQueue, commands.h); their transfer targets' indexes.
  absl::StatusOr<std::vector<QueueIndex>> CheckOverflow(const QueueConfig& config) const;
  // A queue's configuration checked as AddQueue checks it (all but its id), with what the
  // checks resolved: the transfer targets, the opening schedule, the requirement and each
  // step's, parsed (their skill names interned: nothing else may fail after this).
  struct CheckedQueue {
    std::vector<QueueIndex> targets;
    std::shared_ptr<const OpeningSchedule> schedule;
    std::vector<Requirement> requirements;
  };
  absl::StatusOr<CheckedQueue> CheckQueueConfig(const QueueConfig& config);
  // The opening schedule compiled from `config.hours` (null without hours), as AddQueue and
  // UpdateQueue (through CheckQueueConfig) and LoadState compile it; InvalidArgument
  // "queue '<id>': <OpeningSchedule::Create's message>" for hours it refuses.
  static absl::StatusOr<std::shared_ptr<const OpeningSchedule>> CompileSchedule(
      const QueueConfig& config);
  // The home record `index` takes the overflow rules and opening hours of `config`.
  void SetQueuePolicies(QueueIndex index, const QueueConfig& config, const CheckedQueue& checked);
  absl::Status Apply(const switchboard::AddAgent& command);
  // An agent's configuration checked as AddAgent checks it (all but its id); without
  // `check_listed`, not whether it meets the listed queues' requirements.
  absl::Status CheckAgentConfig(const AgentConfig& config, bool check_listed = true) const;
  // The agent's record takes `config` (checked): skills (and the skill index), profile,
  // capacity and channels (its load kept), weight, membership mode. Not its served queues.
  void SetAgentProfile(AgentIndex index, const AgentConfig& config);
  // ---- Changes to a live center (live_changes.cc) and supervisor commands
  // (supervisor_commands.cc).
  absl::Status Apply(const switchboard::UpdateAgent& command);
  absl::Status Apply(const switchboard::RemoveAgent& command);
  absl::Status Apply(const switchboard::UpdateQueue& command);
  absl::Status Apply(const switchboard::RemoveQueue& command);
  absl::Status Apply(const switchboard::MoveContact& command);
  absl::Status Apply(const switchboard::SetContactPriority& command);
  absl::Status Apply(const switchboard::AssignContact& command);
  // Transfers by agents (transfers.cc).
  absl::Status Apply(const switchboard::TransferContact& command);
  absl::Status Apply(const switchboard::StartConsult& command);
  absl::Status Apply(const switchboard::CompleteConsult& command);
  absl::Status Apply(const switchboard::CancelConsult& command);
  // FailedPrecondition: the contact has a consult open.
  absl::Status ConsultOpen(ContactSlot slot) const;
  // The agent and the contact it handles (connected or on hold), or the lookups' errors.
  absl::StatusOr<std::pair<AgentIndex, ContactSlot>> Handling(std::string_view agent,
                                                              std::string_view contact) const;
  // The agent's part of a connected contact ends (it leaves the agent's contacts; wrap-up per
  // its queue): the contact goes on, waiting in `target` (for `preferred` until `until`), and is
  // placed; event contact_transferred with `reason`. The caller brackets the agent's change.
  void HandOver(AgentIndex agent, ContactSlot slot, QueueIndex target, AgentIndex preferred,
                Micros until, std::string_view reason);
  // Ends a consult: the consulted agent's hold on `leg` is released.
  void EndConsultLeg(ContactSlot contact, ContactSlot leg);
  // The configuration the agent has now, as AddAgent would take it.
  AgentConfig ConfigOf(const Agent& agent) const;
  // Re-arms the wait rules of every contact of the home queue still subject to them (waiting or
  // ringing) after its rules changed: from the first rule whose wait it has not passed.
  void RearmWaitRules(QueueIndex home);
  absl::Status Apply(const switchboard::Login& command);
  absl::Status Apply(const switchboard::Logout& command);
  absl::Status Apply(const switchboard::SetReady& command);
  absl::Status Apply(const switchboard::SetNotReady& command);
  absl::Status Apply(const switchboard::AddContact& command);
  absl::Status Apply(const AcceptOffer& command) { return Accept(command.agent, command.contact); }
  absl::Status Accept(std::string_view agent, std::string_view contact);
  absl::Status Apply(const RejectOffer& command);
  absl::Status Apply(const HoldContact& command);
  absl::Status Apply(const ResumeContact& command);
  absl::Status Apply(const CompleteContact& command) {
    return Complete(command.agent, command.contact, command.disposition);
  }
  absl::Status Complete(std::string_view agent, std::string_view contact,
                        std::string_view disposition = {});
  absl::Status Apply(const switchboard::EndWrapUp& command);
  absl::Status Apply(const switchboard::ExtendWrapUp& command);
  absl::Status Apply(const AbandonContact& command);
  absl::Status Apply(const RemoveContact& command);
  absl::Status Apply(const switchboard::AnswerOverflow& command);
  absl::Status Apply(const switchboard::ReportCallback& command);
  absl::Status Apply(const switchboard::SetEntryRules& command);
  absl::Status Apply(const Advance& command);

  // ---- Lookups with the errors hosts see (engine.cc; InfoOf in queries.cc).
  absl::StatusOr<AgentIndex> FindAgent(std::string_view id) const {
    return FindAgent(AgentIds::KeyOf(id));
  }
  absl::StatusOr<AgentIndex> FindAgent(const AgentIds::Key& key) const;
  absl::StatusOr<QueueIndex> FindQueue(std::string_view id) const;
  absl::StatusOr<ContactSlot> FindContact(std::string_view id) const;
  // The agent must pass the state machine for `command`.
  absl::StatusOr<AgentIndex> AgentFor(std::string_view id, detail::AgentCommand command) const {
    return AgentFor(AgentIds::KeyOf(id), command);
  }
  absl::StatusOr<AgentIndex> AgentFor(const AgentIds::Key& key, detail::AgentCommand command) const;
  // The contact must be with `agent` in `state` (connected also accepts on hold when
  // `or_on_hold`).
  absl::StatusOr<ContactSlot> ContactWith(std::string_view id, AgentIndex agent, ContactState state,
                                          bool or_on_hold) const;
  detail::AgentView View(const Agent& agent) const;
  ContactInfo InfoOf(ContactSlot slot) const;
  // As InfoOf, for a waiting contact with `ahead` contacts ahead of it (AheadOf).
  ContactInfo InfoOf(ContactSlot slot, int64_t ahead) const;

  // ---- Agents: the bracket around every change, load and wrap-ups (agent_changes.cc);
  // ComputeServed is beside AddAgent (config_commands.cc).
  detail::ServedQueues ComputeServed(const Agent& agent) const;
  // The agent serves what ComputeServed says now (new queue records it meets), re-pooled and
  // counted in its queues' logged-in agents.
  void RecomputeServed(AgentIndex agent);
  // Brackets every change to an agent: out of its pools before, and after: pending change
  // applied if it holds nothing, state event, back into its pools. Without `repool` the caller
  // goes on with RouteAgent, which pools the agent after offering it what it can take (so an
  // agent that frees and at once takes a contact is not pooled and unpooled in between).
  void BeginAgentChange(AgentIndex agent);
  void EndAgentChange(AgentIndex agent, bool repool = true);
  bool Routable(const Agent& agent) const {
    return agent.logged_in && agent.ready && agent.pending == PendingChange::kNone;
  }
  // Why the engine may not offer the agent a contact now (AgentStats::not_routable_reason);
  // empty when it may.
  std::string_view NotRoutableReason(const Agent& agent) const;
  // The same as a number: 0 routable, then 1.. in the order NotRoutableReason lists them.
  uint8_t NotRoutableCode(const Agent& agent) const;
  void AddLoad(Agent& agent, Channel channel);
  void RemoveLoad(Agent& agent, Channel channel);
  void EndWrapUpIndex(AgentIndex agent, size_t index);
  // The agent's wrap-up of the contact, per its queue's policy (or, without one, its load
  // released); returns the wrap-up's token, 0 when none.
  uint64_t StartWrapUp(AgentIndex agent, const Contact& contact);
  // Shared by the command handlers and the resolved layer.
  void AcceptOffered(AgentIndex agent, ContactSlot slot);
  uint64_t CompleteConnected(AgentIndex agent, ContactSlot slot,
                             std::string_view disposition = {});
  // Arrival moved earlier by the priority's aging: the time a contact's wait counts from.
  Micros VirtualArrival(Micros arrival, int priority) const {
    return arrival - static_cast<Micros>(priority) * aging_unit_;
  }
  // A new contact in a free slot, not yet waiting anywhere.
  ContactSlot CreateContact(QueueIndex queue, Channel channel, Micros arrival, int priority,
                            int priority_class);
  int64_t OccupancyPpm(const Agent& agent) const;
  // Time spent in each state, the current one counted up to now.
  std::array<Micros, kAgentStateCount> TimeByState(const Agent& agent) const;

  // ---- Routing (routing.cc).
  uint16_t OpenChannels(const Agent& agent) const;
  void AddToPools(AgentIndex agent);
  void RemoveFromPools(AgentIndex agent);
  Tier& TierFor(Queue& queue, Channel channel, Micros min_wait, bool reserve);
  Tier* FindTier(Queue& queue, Channel channel, Micros min_wait, bool reserve);
  // Whether a tier's agents may take the queue's contacts now (a reserve tier: while the
  // queue's reserve is active).
  bool TierOpen(const Queue& queue, const Tier& tier) const {
    return !tier.reserve || queues_[queue.home].reserve_active;
  }
  // In the waiting set of the step its wait has reached (TakeStep), with the timer of its next
  // step; counted in its home queue.
  void EnterWaiting(ContactSlot slot);
  void LeaveWaiting(ContactSlot slot);
  // The record of chain `chain` (its first record) for a contact that has waited `wait`.
  QueueIndex StepFor(QueueIndex chain, Micros wait) const;
  // Moves a contact that is not in a waiting set to the queue of the step its wait has reached
  // (its home queue before the first step), with event contact_requirement_changed.
  void TakeStep(Contact& contact);
  // The requirement-step timer: a waiting contact moves to its next step (re-indexed with its
  // place kept) and looks for an agent there.
  void ReachStep(ContactSlot slot);
  // Contacts waiting in the queue's waiting sets (all its steps) on `channel`; not those held
  // for a preferred agent.
  int64_t WaitingOn(const Queue& home, Channel channel) const;
  // The wait estimated now for a contact entering its queue behind the contacts waiting there
  // on its channel; 0 when it is offered at once.
  Micros EstimateWait(const Contact& contact, bool offered_at_once) const;
  // Whether an agent may take the contact (just created, not yet placed) now.
  bool AgentFreeFor(const Contact& contact) const;
  // Sets the contact's estimate at entry.
  void NoteEstimate(Contact& contact, bool offered_at_once);
  // The wait estimated now for a waiting contact: (contacts ahead of it in any step of the
  // queue, same channel, + 1) x the time between serves; one held for a preferred agent counts
  // as at the back. O(contacts ahead).
  Micros EstimateWaitOf(ContactSlot slot) const;
  // The contacts ahead of a waiting one, as EstimateWaitOf counts them.
  int64_t AheadOf(ContactSlot slot) const;
  // The wait estimated for a contact of `home` with `ahead` contacts ahead of it.
  Micros EstimateWithAhead(const Queue& home, int64_t ahead) const;
  // A waiting contact of this home queue is taken by an agent.
  void NoteServe(Queue& home);
  // Where a queue's counts are kept (its home queue).
  QueueCounters& CountersOf(QueueIndex q) { return queues_[queues_[q].home].counters; }
  // Offers the contact to the best agent now; false when it keeps waiting.
  bool RouteContact(ContactSlot slot);
  // The agent that the queue's strategy picks now for a contact of `channel` with that virtual
  // arrival, among the tiers its wait qualifies for, kNoIndex when none; starts fetching the
  // agent's record for the offer. `contact` is null for one about to be created (which has no
  // cool-downs); not with host score, whose scorer is shown the contact.
  // `ringing`: agents not to choose (those the contact rings at already, for a multi-offer).
  AgentIndex ChooseAgent(QueueIndex queue, Channel channel, Micros virtual_arrival,
                         const Contact* contact, std::span<const AgentIndex> ringing = {});
  // A contact that is not in a waiting set: offered at once if an agent may take it, else
  // placed in its waiting set (Wait).
  void Place(ContactSlot slot);
  // Puts a contact that no agent may take now in its waiting set, with a re-check scheduled
  // for delayed agents.
  void Wait(ContactSlot slot);
  // A contact about to arrive without a preferred agent (the caller checks) has its agent
  // chosen (ChooseAgent) before its record is created, so that the chosen agent's record, cold
  // at scale, arrives meanwhile; nullopt for host score, whose scorer is shown the contact.
  std::optional<AgentIndex> ChooseEarly(QueueIndex queue, Channel channel, Micros virtual_arrival);
  // Places a contact just created: an agent chosen early gets the offer; kNoIndex (no agent may
  // take it) puts it in its waiting set (Wait); nullopt (not chosen early: host score, or a
  // preferred agent) leaves it to Place.
  void PlaceNew(ContactSlot slot, std::optional<AgentIndex> early);
  // Offers the agent the most urgent contacts it can take, while it has capacity; then makes
  // sure it is in its pools.
  void RouteAgent(AgentIndex agent);
  ContactSlot BestContactFor(AgentIndex agent) const;
  // Starts fetching the contacts the agent would take first from each of its queues, for a
  // command that is about to free it: their records are likely far from cache (they have waited
  // longest), and fetching them alongside the command's own lookups overlaps the misses.
  void PrefetchNextContacts(AgentIndex agent) const;
  // Without `repool` the agent stays out of its pools (RouteAgent pools it when done).
  // Returns the slot offered: a copy reached offers the contact itself.
  ContactSlot Offer(ContactSlot slot, AgentIndex agent, bool repool = true);
  // The offer failed (rejected or timed out): the agent's miss, and the contact back to waiting.
  void MissOffer(ContactSlot slot, bool timed_out);
  // An agent's side of a missed offer: the offer gone, RONA cool-down, pause, misses in a row.
  void NoteMissed(ContactSlot slot, AgentIndex agent, bool timed_out);

  // ---- Multi-offer (multi_offer.cc; QueueConfig::ring_agents).
  // A contact just offered by its queue's routing rings at more free agents, up to its queue's
  // ring_agents.
  void RingMore(ContactSlot slot);
  // `agent` accepted a contact that rang at several: the other offers are withdrawn and
  // `agent` becomes the contact's agent.
  void WithdrawOtherRings(ContactSlot slot, AgentIndex agent);
  // The contact leaves while ringing at several: the offers but contact.agent's are withdrawn
  // (the caller withdraws that one).
  void WithdrawExtraRings(ContactSlot slot);
  // The offers of `slot` to `agents` withdrawn (event reason `reason`), then each agent routed.
  void WithdrawRings(ContactSlot slot, std::span<const AgentIndex> agents,
                     std::string_view reason);
  // `agent` rejected the contact or let it ring out: true when other agents still ring (its
  // miss is noted, the contact stays offered), false when it was the last (MissOffer follows).
  bool MissOneRing(ContactSlot slot, AgentIndex agent, bool timed_out);
  // The offer timeout of a contact ringing at several: every agent but contact.agent missed it
  // (MissOffer follows for that one).
  void TimeOutExtraRings(ContactSlot slot);
  // The agents a contact rings at besides contact.agent; null when none.
  const absl::InlinedVector<AgentIndex, 3>* ExtraRings(ContactSlot slot) const {
    if (ringing_.empty()) return nullptr;
    auto it = ringing_.find(slot);
    return it == ringing_.end() ? nullptr : &it->second;
  }
  // Routes contacts of (queue, channel) that reached a delayed tier, then schedules the next.
  void RecheckQueue(QueueIndex queue, Channel channel);
  void ScheduleRecheck(QueueIndex queue, Channel channel);
  // Ends a contact that was never connected (abandoned or removed).
  void EndUnanswered(ContactSlot slot, ContactOutcome outcome, std::string_view reason);
  void FreeContact(ContactSlot slot);
  // Answer counters and the contact's answer time, for an offer accepted or a callback connected.
  void CountAnswer(Contact& contact);

  // ---- Reserve agents (reserve.cc).
  // InvalidArgument naming the field of a policy out of its range ("queue 'q': reserve.window
  // is ...").
  static absl::Status CheckReservePolicy(std::string_view queue, const ReservePolicy& policy);
  // Sets (or, with none, removes) a home queue's reserve policy; a reserve that was active
  // and has no policy now is deactivated.
  void SetReservePolicy(QueueIndex home, const std::optional<ReservePolicy>& policy);
  // A contact of the queue was answered or abandoned: counted in the service level's window.
  void NoteDecided(Queue& home, bool within) {
    if (home.reserve && home.reserve->activate_below > 0) RecordDecided(home, within);
  }
  void RecordDecided(Queue& home, bool within);
  // Sets the queue's next kReserveCheck timer, unless one is pending.
  void ScheduleReserveCheck(QueueIndex home);
  // kReserveCheck: activates or deactivates the reserve as the policy says, then the next check.
  void CheckReserve(QueueIndex home);
  // The reserve just became active: its free members take the queue's waiting contacts, most
  // urgent first.
  void TakeWaitingForReserve(QueueIndex home);
  // The service level over the policy's window now (1 when no contact was decided in it).
  double ReserveServiceLevel(const Queue& home) const;

  // ---- Overflow rules and callbacks (overflow.cc).
  // Puts a contact entering its queue (arrival or transfer), which no agent may take now, in its
  // waiting set; then the wait rules it is already past apply, then the first of the queue's
  // arrival rules that fires; a contact still waiting in a closed queue is then routed.
  void WaitOnEntry(ContactSlot slot);
  // The contact's next wait rule is the one at position `from` of its queue's wait_rules,
  // counted from `entered` (when it entered the queue): its timer is set, or, when the contact
  // has waited past it already (it rang, or arrived earlier), it is marked due (overflow_due;
  // ApplyDueRules applies it once the contact is in its waiting set).
  void ArmWaitRule(ContactSlot slot, Micros entered, size_t from);
  // Applies, in order, every wait rule now due for a contact in its waiting set, until one takes
  // the contact out of it.
  void ApplyDueRules(ContactSlot slot);
  // A kWait rule's timer (position `position` of wait_rules): applies it, and any due with it,
  // to a waiting contact, or marks it due for a ringing one.
  void FireWaitRule(ContactSlot slot, size_t position);
  // Applies rule `rule` of its queue to a waiting contact; false when it does not fire (a
  // look-ahead target no better, the transfer limit), so that the next rule may.
  bool ApplyRule(ContactSlot slot, size_t rule);
  // The action of rule `rule`, the customer having accepted it if asked.
  void TakeAction(ContactSlot slot, size_t rule);
  // Moves a waiting contact to `target`, keeping its arrival: by an overflow rule (`trigger`,
  // counted as overflowed), or on a command (MoveContact, RemoveQueue; reason "moved").
  void TransferTo(ContactSlot slot, QueueIndex target, std::string_view trigger,
                  bool by_rule = true);
  // A copy of the waiting contact waits in `target` too (a copy rule).
  void CopyTo(ContactSlot slot, QueueIndex target, std::string_view trigger);
  // The contact (or copy) `slot` is about to be offered, or leaves: its copy is withdrawn. When
  // `slot` is the copy, the contact itself moves to the copy's queue (counted as a transfer)
  // and its slot is returned, to be offered instead; otherwise `slot`.
  ContactSlot ResolveCopy(ContactSlot slot, bool offered);
  // Ends a waiting contact by a rule: deflected, voicemail or disconnected.
  void EndByRule(ContactSlot slot, ContactOutcome outcome, std::string_view reason,
                 std::string_view target);
  // A callback's dial attempt failed: the agent is free; the callback comes back after the
  // rule's retry_after, or fails after its last attempt.
  void FailCallback(ContactSlot slot, CallbackResult result);
  void ConnectCallback(ContactSlot slot);
  // A scheduled callback or a retry came due: the contact looks for an agent in its place.
  void CallbackDue(ContactSlot slot);
  // The last logged-in agent of the queue logged out: its no_agents rules apply to the contacts
  // waiting there.
  void NoAgentsLeft(QueueIndex home);
  // A queue with opening hours opened or closed (kQueueHours): event, the kClosed rules for the
  // contacts waiting at closing, and the timer of the next change.
  void HoursChange(QueueIndex home);
  // Sets the kQueueHours timer of a queue with hours at its next change after now, if any.
  void ArmHoursChange(QueueIndex home);
  // A contact entering a queue that is closed and has kClosed rules: no routing, the rules.
  bool ClosedToEntry(const Contact& contact) const {
    const Queue& home = queues_[queues_[contact.queue].home];
    return !home.open && home.closed_rules;
  }
  // Applies the queue's first rule with `trigger` that fires to each contact waiting there.
  void ApplyToWaiting(QueueIndex home, OverflowRule::Trigger trigger);
  // Counts a login (+1) or logout (-1) in the queues the agent serves.
  void CountLoggedIn(const Agent& agent, int delta);

  // ---- Time.
  void SetTimer(Micros time, TimerKind kind, uint32_t a, uint32_t b, uint64_t token);
  bool IsLive(const Timer& timer) const;
  // Fires the live timers due at or before `time`, in order. False when it stopped early because
  // the event buffer is full (max_buffered_events); now_ is then the last fired timer's time.
  bool FireTimersUpTo(Micros time);
  void Fire(const Timer& timer);

  // ---- The state dump (state_dump.cc, state_dump_records.cc): one member of the dump each.
  void DumpOptions(detail::JsonWriter& out) const;
  void DumpQueue(detail::JsonWriter& out, QueueIndex index) const;
  void DumpTimers(detail::JsonWriter& out) const;
  void DumpAgent(detail::JsonWriter& out, AgentIndex index) const;
  void DumpContact(detail::JsonWriter& out, ContactSlot slot) const;

  // ---- Reading a dump back (state_load.cc, state_load_records.cc), into an engine just made
  // with the dump's options. What the readers gather for the indexes rebuilt at the end:
  struct LoadScratch {
    uint64_t queues = 0, agents = 0, contacts = 0;  // the dump's record counts
    struct Waiting {
      detail::DumpNode node;
      QueueIndex queue;
      Channel channel;
      detail::WaitKey key;
    };
    std::vector<Waiting> waiting;  // queues' waiting keys, in each set's order
    struct Numbers {
      Tier* tier;
      detail::DumpNode node;
      uint32_t numbers;            // member numbers given out
      std::vector<uint32_t> free;  // not in use, the last given out next
      int64_t size;
    };
    std::vector<Numbers> tiers;
  };
  void Load(detail::DumpReader& in, const detail::DumpNode& root);
  void LoadQueue(detail::DumpReader& in, const detail::DumpNode& node, QueueIndex index,
                 LoadScratch& scratch);
  void LoadAgent(detail::DumpReader& in, const detail::DumpNode& node, AgentIndex index,
                 LoadScratch& scratch);
  void LoadContact(detail::DumpReader& in, const detail::DumpNode& node, ContactSlot slot,
                   LoadScratch& scratch);
  // Id tables, pools with their member numbers, waiting sets, held contacts, arrival orders,
  // the maps of copies, consults and rings; checks that records agree where a mistake would
  // index out of range.
  void RebuildIndexes(detail::DumpReader& in, const detail::DumpNode& root, LoadScratch& scratch);

  // ---- Events.
  bool events_on() const { return sink_ != nullptr || options_.record_events; }
  // Events wait in the buffer up to max_buffered_events (without a sink).
  bool EventBufferFull() const {
    return sink_ == nullptr && options_.record_events &&
           static_cast<int64_t>(events_.size()) >= options_.max_buffered_events;
  }
  Event NewEvent(EventType type) const;
  void Emit(Event event);
  // Hands an event to interval_stats_ with what it needs from the records (interval_queries.cc).
  void FeedIntervalStats(const Event& event);
  void EmitContact(EventType type, const Contact& contact, AgentIndex agent,
                   ContactOutcome outcome = ContactOutcome::kNone,
                   Micros deadline = std::numeric_limits<Micros>::max(),
                   std::string_view reason = {}, std::string_view target = {});

  EngineOptions options_;
  Micros offer_timeout_ = 0, rona_cooldown_ = 0, reject_delay_ = 0, timeout_delay_ = 0,
         aging_unit_ = 0, occupancy_window_ = 0;

  Micros now_ = std::numeric_limits<Micros>::min();
  Actor actor_;
  Cause cause_ = Cause::kCommand;
  // Counters behind GetIntervalStats, fed by Emit.
  detail::IntervalStatsTracker interval_stats_{detail::ToMicros(options_.stats_interval)};

  SkillRegistry skills_;
  std::vector<Queue> queues_;
  std::vector<EntryRuleRecord> entry_rules_;
  // Per agent that completed a contact with a disposition code: its count per code (kept
  // outside the agent record, which most hosts' agents would carry empty).
  absl::flat_hash_map<AgentIndex, std::map<std::string, int64_t, std::less<>>>
      agent_dispositions_;
  // While AnswerOverflow applies a scheduled callback: the time the customer chose.
  std::optional<Micros> contact_callback_at_;
  // Copies made by copy rules: contact -> its copy and copy -> contact (both `copied`).
  absl::flat_hash_map<ContactSlot, ContactSlot> copies_;
  // Open consults: contact -> its leg and leg -> contact. A leg is a record without an id
  // (`shadow`), connected with the consulted agent, that holds that agent's capacity.
  absl::flat_hash_map<ContactSlot, ContactSlot> consults_;
  // Multi-offer: per contact ringing at several agents, those besides contact.agent. Empty
  // unless some queue has ring_agents > 1, so that single offers test only that.
  absl::flat_hash_map<ContactSlot, absl::InlinedVector<AgentIndex, 3>> ringing_;
  // Per agent that transferred or consulted: those counts (AgentStats::transfers, consults).
  absl::flat_hash_map<AgentIndex, std::pair<int64_t, int64_t>> agent_transfers_;
  int least_occupied_queues_ = 0;  // occupancy keys are computed only when some queue needs them
  // Some queue rings at several agents, or did (multi-offer): single offers test only this.
  bool multi_offer_ = false;
  absl::flat_hash_map<std::string, QueueIndex> queue_ids_;
  // Stable addresses, and at most one chunk of slack (an agent is several hundred bytes). The
  // arena outlives the records in its blocks (members are destroyed in reverse order).
  detail::HugePageArena record_arena_;
  detail::ChunkedVector<Agent, 6> agents_{&record_arena_};
  AgentIds agent_ids_{&agents_};
  detail::ChunkedVector<detail::AgentListsAt, 10> agent_lists_at_{&record_arena_};  // AddToPools
  std::vector<std::vector<AgentIndex>> agents_by_skill_;
  detail::ChunkedVector<Contact> contacts_{&record_arena_};
  std::vector<ContactSlot> free_slots_;
  ContactIds contact_ids_{&contacts_};

  mutable detail::Calendar<TimerKind, kTimerKinds> timers_;
  uint64_t next_token_ = 0;
  uint64_t next_contact_sequence_ = 0;

  uint64_t event_sequence_ = 0;
  std::vector<Event> events_;
  EventSink* sink_ = nullptr;

  detail::Random random_;
  HostScorer scorer_;
  std::vector<detail::PoolEntry> score_candidates_;  // SelectHostScore's buffer
  OfferListener* offer_listener_ = nullptr;
  PolicyListener* policy_listener_ = nullptr;
  bool listener_accepts_at_once_ = false;
};

}  // namespace switchboard

#endif  // SWITCHBOARD_SRC_CORE_ENGINE_IMPL_H_
