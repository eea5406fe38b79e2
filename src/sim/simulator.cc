// The discrete-event simulator: generated customers and agents drive the same Engine a PBX
// links in, through its resolved layer (dense indexes, no string ids, no events). The model,
// the event order and the KPI definitions are in docs/simulation.md.
#include <algorithm>
#include <atomic>
#include <cassert>
#include <cmath>
#include <exception>
#include <mutex>
#include <new>
#include <optional>
#include <system_error>
#include <thread>

#include "base/calendar.h"
#include "base/durations.h"
#include "base/random.h"
#include "base/status_macros.h"
#include "core/resolved_engine.h"
#include "fmt/format.h"
#include "sim/queue_order.h"
#include "sim/sampling.h"
#include "sim/tally.h"
#include "sim/trace.h"
#include "switchboard/sim.h"

namespace switchboard {
namespace {

using detail::Combine;
using detail::kNeverMicros;
using detail::ReplicationResult;
using detail::Tally;
using detail::Random;
using detail::Sampler;

constexpr double kMicrosPerSecond = 1e6;

using detail::ToMicros;

// A seed for one purpose, derived from a parent seed: splitmix64 of the pair, so that streams
// for different purposes are independent and adding one does not shift the others.
uint64_t DeriveSeed(uint64_t parent, uint64_t purpose) {
  uint64_t state = parent ^ (purpose * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL);
  detail::SplitMix64(state);
  return detail::SplitMix64(state);
}

// Purposes of the random streams of one traffic stream.
enum StreamPurpose : uint64_t {
  kArrivalStream = 1,
  kHandleStream = 2,
  kPatienceStream = 3,
  kAttributeStream = 4,  // which attribute set each contact carries
  kRedialStream = 5,     // whether an abandoning customer calls again, and when
};
// Seed purpose of the agents' no-answer draws (per replication).
constexpr uint64_t kNoAnswerStream = 7;
// How long after the measured period the engine's deadlines may still decide the fate of
// customers left waiting when no simulation event is left (see Run).
constexpr Micros kDrainHorizon = Micros{7} * 24 * 3600 * 1000000;
// Seed purpose of the customers' answers to overflow offers and dial-backs (per replication).
constexpr uint64_t kCustomerStream = 8;
// Seed purpose of a replay's censored patience draws (per replication).
constexpr uint64_t kLoggedPatienceStream = 9;

// Events of the simulation calendar. At equal times they run in this order, then in the order
// they were scheduled: answers, then work that frees agents, then customers leaving, then
// agents' schedule changes, then new customers, then measurement marks.
enum class SimEventType : uint8_t {
  kAnswer,
  kServiceEnd,
  kWrapUpEnd,
  kAbandon,
  kRedial,  // a customer who abandoned calls again: a = traffic stream, b = its PendingRedial
  kShiftEnd,
  kBreakStart,
  kBreakEnd,
  kShiftStart,
  kArrival,
  kLogged,  // a contact of a replayed log arrives: token = its index in the trace
  kMark,
};
constexpr size_t kSimEventTypes = static_cast<size_t>(SimEventType::kMark) + 1;

using SimEvent = detail::CalendarEntry<SimEventType>;

// A customer in the system, indexed by the engine's contact slot.
struct SimContact {
  uint64_t sequence = 0;  // the engine's contact sequence, to recognise a reused slot
  uint32_t traffic = 0;
  uint32_t variant = 0;  // its attribute set in the stream
  uint32_t queue = 0;  // its queue now: its position in the scenario (not the engine's index)
  Micros arrival = 0;
  Micros entered = 0;  // into its queue now (the arrival, or the transfer)
  Micros handle = 0;  // talk time drawn at arrival (common random numbers)
  Micros left_line = 0;  // when it accepted a callback (the customer left the line then)
  // Replay: the overflow offer the log shows this customer accepting (kDisconnect: none).
  OverflowRule::Action accepts = OverflowRule::Action::kDisconnect;
  uint64_t customer = 0;  // the customer's number in the replication, kept across redials
  Micros first_arrival = 0;  // of the customer's first call
  uint32_t first_queue = 0;  // the scenario position of the queue that call entered
  int interval = 0;   // of the arrival, when counted: computed once (it takes a division)
  size_t record = 0;  // its record in the contact log, when recording
  bool counted = false;
  bool waiting = false;
  bool callback = false;  // accepted a callback: off the line (patience no longer runs)
  bool redial = false;    // not the customer's first call
  uint8_t rule = 0;       // the overflow rule of its callback
};

class Replication : public detail::ResolvedEngine::OfferListener,
                    public detail::ResolvedEngine::PolicyListener {
 public:
  // `trace`: the contacts to replay instead of the streams' arrivals (may be null);
  // `recording`: keep a contact log in the result.
  Replication(const SimulationConfig& config, uint64_t seed, const detail::Trace* trace,
              bool recording)
      : config_(config),
        trace_(trace),
        recording_(recording),
        window_start_(ToMicros(config.warmup)),
        window_end_(ToMicros(config.warmup + config.duration)),
        interval_(ToMicros(config.interval)),
        interval_count_(static_cast<int>((window_end_ - window_start_ + interval_ - 1) / interval_)),
        origin_(absl::ToUnixMicros(config.start)),
        seed_(seed) {}

  absl::StatusOr<ReplicationResult> Run();

  void OnOffer(ContactSlot contact, AgentIndex agent) override {
    offers_.push_back({contact, agent});
  }
  // Overflow rules and callbacks (the customers' side of docs/policies.md).
  void OnAsked(ContactSlot contact, size_t rule) override {
    asks_.push_back({contact, static_cast<uint32_t>(rule), resolved_->SequenceOf(contact)});
  }
  void OnCallback(ContactSlot contact, size_t rule) override;
  void OnTransferred(ContactSlot contact, QueueIndex from, QueueIndex to) override;
  void OnEnded(ContactSlot contact, ContactOutcome outcome) override;

 private:
  // Where the contacts of one attribute set of a stream go: the stream's queue, or what the
  // entry rules decide for those attributes (decided once, at set-up).
  struct Variant {
    double cumulative_share = 1;  // of this set and those before it, out of 1
    QueueIndex queue = detail::kNoIndex;  // the engine's index; kNoIndex: deflected at entry
    QueueIndex entry = detail::kNoIndex;  // the chain it enters (an entry rule's requirement)
    uint32_t position = 0;  // the queue's position in the scenario (the tallies'); see kNoQueue
    int priority = 0;
    int priority_class = 0;
    bool deflect = false;   // an entry rule deflects them at once
  };
  struct Stream {
    std::vector<Variant> variants;
    Random arrivals, handle, patience, attributes, redial;
    Sampler handle_sampler, patience_sampler, redial_sampler;
    Micros wrap_up = 0;
    Micros period = 0;                 // of the arrival rates
    std::vector<double> per_second;    // arrival rate in each period
    Stream(uint64_t seed, const TrafficConfig& traffic)
        : arrivals(DeriveSeed(seed, kArrivalStream)),
          handle(DeriveSeed(seed, kHandleStream)),
          patience(DeriveSeed(seed, kPatienceStream)),
          attributes(DeriveSeed(seed, kAttributeStream)),
          redial(DeriveSeed(seed, kRedialStream)),
          handle_sampler(traffic.handle),
          patience_sampler(traffic.patience),
          redial_sampler(traffic.redial.after),
          wrap_up(ToMicros(traffic.wrap_up)),
          period(ToMicros(traffic.arrivals.per)) {
      for (double rate : traffic.arrivals.rates) {
        per_second.push_back(rate / absl::ToDoubleSeconds(traffic.arrivals.per));
      }
    }
  };

  absl::Status SetUp();
  void Schedule(Micros time, SimEventType type, uint32_t a = 0, uint32_t b = 0,
                uint64_t token = 0) {
    calendar_.Schedule(time, type, a, b, token);
  }
  void ScheduleNextArrival(uint32_t traffic, Micros after);
  void Handle(const SimEvent& event);
  // A customer who abandoned and will call again.
  struct PendingRedial {
    uint64_t customer = 0;
    Micros first_arrival = 0;
    uint32_t variant = 0;
  };
  // A customer of stream `traffic` calls: a new customer with an attribute set drawn from the
  // stream's shares, or the one of `redial` again.
  void Arrive(uint32_t traffic, const PendingRedial* redial);
  // The next contact of the replayed log arrives.
  void ArriveLogged(uint64_t index);
  // A replayed customer's patience, known only to exceed `wait`: drawn from the trace's fit.
  Micros CensoredPatience(Micros wait);
  // The common part of both: a contact with this handle time and patience.
  // `first_queue`: the scenario position of the queue the customer's first call entered.
  void Enter(uint32_t traffic, int variant_index, Micros handle, Micros patience,
             uint64_t customer, Micros first_arrival, uint32_t first_queue, bool redial);
  void Record(const SimContact& contact, LoggedOutcome outcome) {
    if (!recording_) return;
    ContactRecord& record = result_.log[contact.record];
    record.outcome = outcome;
    // Time on the line: a callback's customer left it on accepting.
    const Micros off_line = contact.callback ? contact.left_line : now_;
    record.wait_s = static_cast<double>(off_line - contact.arrival) / kMicrosPerSecond;
    if (outcome == LoggedOutcome::kAnswered) {
      record.answered_s = static_cast<double>(now_ - contact.arrival) / kMicrosPerSecond;
    }
  }
  // The scenario positions of the queues, plus one tally for contacts that no queue counts (an
  // entry rule deflecting them names none): in `overall` only.
  uint32_t NoQueue() const { return static_cast<uint32_t>(config_.queues.size()); }
  void AcceptOffers();
  // Customers answer the overflow offers made since the last call.
  void AnswerAsks();
  void Answer(ContactSlot slot, AgentIndex agent);
  // The agent dials a callback back; the customer answers with the rule's probability.
  void DialBack(ContactSlot slot, AgentIndex agent);
  // An answer's share of the tallies: the wait (from the original arrival), service level, EWT.
  void CountAnswer(ContactSlot slot);
  const CustomerResponse& ResponseOf(uint32_t queue, size_t rule) const {
    static const CustomerResponse kDefault;
    return rule < responses_[queue].size() ? responses_[queue][rule] : kDefault;
  }
  void CountBoth(const SimContact& contact, int64_t Tally::*field) {
    if (!contact.counted) return;
    ++(TallyFor(contact, false).*field);
    ++(TallyFor(contact, true).*field);
  }
  void StopWaiting(const SimContact& contact, Micros until);
  void Mark();
  std::pair<Micros, Micros> TotalWork() const;
  int IntervalOf(Micros t) const {
    return static_cast<int>(std::min<Micros>((t - window_start_) / interval_, interval_count_ - 1));
  }
  Tally& TallyFor(const SimContact& contact, bool interval) {
    return interval ? result_.intervals[contact.interval][contact.queue]
                    : result_.queues[contact.queue];
  }
  void Execute(CommandBody body) {
    // Schedule changes are rare: they go through the public entry point with string ids. A
    // refusal (e.g. a break for an agent whose shift ended) changes nothing and is ignored.
    engine_->Execute({absl::FromUnixMicros(origin_ + now_), Actor::System(), std::move(body)})
        .IgnoreError();
  }

  const SimulationConfig& config_;
  const detail::Trace* const trace_;
  const bool recording_;
  const Micros window_start_, window_end_, interval_;
  const int interval_count_;
  // The engine's clock reads origin_ + the simulation's (the start's instant, in microseconds
  // since the Unix epoch): opening hours see the scenario's dates and times of day.
  const Micros origin_;
  const uint64_t seed_;

  std::optional<Engine> engine_;
  std::optional<detail::ResolvedEngine> resolved_;
  std::vector<Stream> streams_;
  std::vector<std::string> agent_ids_;
  // Whether each agent's shift has started and not ended: a break ending at (or after) the end
  // of the shift must not make the agent ready again.
  std::vector<bool> on_shift_;
  std::vector<Micros> sl_threshold_;  // per queue
  std::vector<SimContact> contacts_;  // by engine slot
  uint64_t customers_ = 0;            // customers who called so far
  std::vector<PendingRedial> pending_redials_;  // by the kRedial event's `b`
  std::vector<uint32_t> free_redials_;          // free entries of pending_redials_
  Random logged_patience_;       // replay: censored patience draws
  std::vector<bool> served_;     // replay: by customer, answered on some call
  std::vector<std::pair<ContactSlot, AgentIndex>> offers_;
  struct Ask {
    ContactSlot contact;
    uint32_t rule;
    uint64_t sequence;  // the contact's: a later rule may end or move it before the answer
  };
  std::vector<Ask> asks_;
  std::vector<uint32_t> position_of_;  // the scenario position of each engine home queue
  std::vector<std::vector<CustomerResponse>> responses_;  // by scenario position, by rule
  Random choices_;  // customers' answers to overflow offers and dial-backs
  Micros answer_delay_ = 0;
  Random no_answer_;
  detail::Calendar<SimEventType, kSimEventTypes> calendar_;
  Micros now_ = 0;
  std::vector<std::pair<Micros, Micros>> marks_;  // total work and logged-in time at each mark
  ReplicationResult result_;
};

absl::Status Replication::SetUp() {
  EngineOptions options = config_.engine;
  options.record_events = false;
  options.seed = DeriveSeed(seed_, 0);
  absl::StatusOr<Engine> engine = Engine::Create(options);
  if (!engine.ok()) return engine.status();
  engine_.emplace(*std::move(engine));
  resolved_.emplace(*engine_);
  answer_delay_ = ToMicros(config_.answer_delay);
  resolved_->SetOfferListener(this, /*accepts_at_once=*/answer_delay_ == 0 &&
                                    config_.no_answer_probability == 0);
  no_answer_.Seed(DeriveSeed(seed_, kNoAnswerStream));
  choices_.Seed(DeriveSeed(seed_, kCustomerStream));
  resolved_->SetPolicyListener(this);
  const absl::Time start = config_.start;

  for (const QueueConfig& queue : config_.queues) {
    const auto found = config_.responses.find(queue.id);
    responses_.push_back(found == config_.responses.end() ? std::vector<CustomerResponse>()
                                                          : found->second);
    sl_threshold_.push_back(ToMicros(queue.service_level_threshold));
  }
  absl::StatusOr<std::vector<size_t>> order = detail::QueueAddOrder(config_.queues);
  if (!order.ok()) return order.status();
  for (size_t position : *order) {
    const QueueConfig& queue = config_.queues[position];
    QueueConfig engine_queue = queue;
    // Customers who may decline are asked.
    for (size_t r = 0; r < engine_queue.overflow.size(); ++r) {
      if (ResponseOf(static_cast<uint32_t>(position), r).accept < 1) {
        engine_queue.overflow[r].ask = true;
      }
    }
    // Wrap-up is per traffic stream here: the simulator ends it itself.
    bool wraps = false;
    for (const TrafficConfig& traffic : config_.traffic) {
      wraps |= traffic.queue == queue.id && traffic.wrap_up > absl::ZeroDuration();
    }
    engine_queue.wrap_up = {wraps ? WrapUpPolicy::Mode::kUntilAgentEnds : WrapUpPolicy::Mode::kNone};
    SWITCHBOARD_RETURN_IF_ERROR(engine_->AddQueue(start, std::move(engine_queue)));
    const QueueIndex index = *resolved_->QueueIndexOf(queue.id);
    if (index >= position_of_.size()) position_of_.resize(index + 1);
    position_of_[index] = static_cast<uint32_t>(position);
  }
  if (!config_.routes.empty()) {
    SWITCHBOARD_RETURN_IF_ERROR(engine_->SetEntryRules(start, config_.routes));
  }
  for (size_t i = 0; i < config_.traffic.size(); ++i) {
    const TrafficConfig& traffic = config_.traffic[i];
    Stream& stream = streams_.emplace_back(DeriveSeed(seed_, 1000 + i), traffic);
    const std::vector<AttributeShare> none = {AttributeShare{}};
    const std::vector<AttributeShare>& sets = traffic.attributes.empty() ? none : traffic.attributes;
    double total = 0;
    for (const AttributeShare& set : sets) total += set.share;
    double cumulative = 0;
    for (size_t v = 0; v < sets.size(); ++v) {
      Variant& variant = stream.variants.emplace_back();
      cumulative += sets[v].share / total;
      variant.cumulative_share = v + 1 == sets.size() ? 1.0 : cumulative;
      variant.priority = traffic.priority;
      if (!traffic.queue.empty()) {
        variant.queue = *resolved_->QueueIndexOf(traffic.queue);
        variant.entry = variant.queue;
      } else {
        const EntryRuleRecord* rule = resolved_->MatchEntryRule(sets[v].attributes);
        if (rule == nullptr) {
          return absl::InvalidArgumentError(fmt::format(
              "traffic #{}: attribute set #{} names no queue and no route matches it", i + 1,
              v + 1));
        }
        variant.queue = rule->queue;
        variant.entry = rule->entry;
        variant.priority = rule->priority.value_or(traffic.priority);
        variant.priority_class = rule->priority_class.value_or(0);
        variant.deflect = !rule->deflect.empty();
      }
      variant.position = variant.queue == detail::kNoIndex ? NoQueue() : position_of_[variant.queue];
    }
  }
  for (size_t g = 0; g < config_.agents.size(); ++g) {
    const AgentGroupConfig& group = config_.agents[g];
    for (int k = 1; k <= group.count; ++k) {
      AgentConfig agent;
      agent.id = fmt::format("{}-{}", group.name, k);
      agent.skills = group.skills;
      agent.capacity = group.capacity;
      // Automatic membership stays on: the listed reserve entries only mark those queues.
      for (const std::string& queue : group.reserve_for) {
        agent.queues.push_back({.queue = queue, .reserve = true});
      }
      SWITCHBOARD_RETURN_IF_ERROR(engine_->AddAgent(start, agent));
      const uint32_t index = static_cast<uint32_t>(agent_ids_.size());
      agent_ids_.push_back(agent.id);
      on_shift_.push_back(false);
      Schedule(ToMicros(group.shift_start), SimEventType::kShiftStart, index);
      if (group.shift_end) Schedule(ToMicros(*group.shift_end), SimEventType::kShiftEnd, index);
      for (const Break& pause : group.breaks) {
        Schedule(ToMicros(pause.start), SimEventType::kBreakStart, index);
        Schedule(ToMicros(pause.start + pause.duration), SimEventType::kBreakEnd, index);
      }
    }
  }
  if (trace_ == nullptr) {
    for (uint32_t i = 0; i < streams_.size(); ++i) ScheduleNextArrival(i, 0);
  } else {
    logged_patience_.Seed(DeriveSeed(seed_, kLoggedPatienceStream));
    served_.assign(trace_->customers, false);
    if (!trace_->arrivals.empty()) {
      Schedule(trace_->arrivals.front().arrival, SimEventType::kLogged, 0, 0, 0);
    }
  }
  sl_threshold_.push_back(0);  // NoQueue(): its contacts are never answered
  for (Micros t = window_start_; t < window_end_; t += interval_) Schedule(t, SimEventType::kMark);
  Schedule(window_end_, SimEventType::kMark);
  result_.queues.resize(config_.queues.size() + 1);  // and NoQueue()
  result_.intervals.assign(interval_count_, std::vector<Tally>(config_.queues.size() + 1));
  return absl::OkStatus();
}

// Poisson arrivals with a rate that is constant over each period: an exponential gap at the
// current rate, restarted at the next period boundary if it would cross it (exact, since the
// exponential forgets).
void Replication::ScheduleNextArrival(uint32_t traffic, Micros after) {
  Stream& stream = streams_[traffic];
  const std::vector<double>& rates = stream.per_second;
  Micros t = after;
  while (t < window_end_) {
    const bool constant = rates.size() == 1;
    const size_t index = constant ? 0 : static_cast<size_t>(t / stream.period);
    if (index >= rates.size()) return;  // after the last period
    const Micros boundary = constant ? kNeverMicros : static_cast<Micros>(index + 1) * stream.period;
    if (rates[index] > 0) {
      const Micros gap =
          Sampler::ToMicros(-std::log(stream.arrivals.UniformPositive()) / rates[index]);
      if (gap < boundary - t) {
        if (t + gap < window_end_) Schedule(t + gap, SimEventType::kArrival, traffic);
        return;
      }
    }
    t = boundary;
  }
}

std::pair<Micros, Micros> Replication::TotalWork() const {
  std::pair<Micros, Micros> total{0, 0};
  for (AgentIndex a = 0; a < agent_ids_.size(); ++a) {
    const auto [work, logged_in] = resolved_->WorkAndLoggedIn(a);
    total.first += work;
    total.second += logged_in;
  }
  return total;
}

void Replication::Mark() { marks_.push_back(TotalWork()); }

// Adds the time a contact spent waiting, clipped to the measured period, to its queue's
// queue-length integral and to those of the intervals it spans.
void Replication::StopWaiting(const SimContact& contact, Micros until) {
  if (recording_) {  // the waiting is one stretch from the arrival (a transfer continues it)
    result_.log[contact.record].queued_s =
        static_cast<double>(std::max(until, contact.arrival) - contact.arrival) / kMicrosPerSecond;
  }
  const Micros from = std::max(contact.entered, window_start_);
  const Micros to = std::min(until, window_end_);
  if (to <= from) return;
  const uint32_t q = contact.queue;
  result_.queues[q].queue_area_s += static_cast<double>(to - from) / kMicrosPerSecond;
  for (int i = IntervalOf(from); i < interval_count_; ++i) {
    const Micros start = window_start_ + i * interval_;
    if (start >= to) break;
    const Micros overlap = std::min(to, start + interval_) - std::max(from, start);
    if (overlap > 0) {
      result_.intervals[i][q].queue_area_s += static_cast<double>(overlap) / kMicrosPerSecond;
    }
  }
}

void Replication::ArriveLogged(uint64_t index) {
  const detail::TraceArrival& logged = trace_->arrivals[index];
  if (index + 1 < trace_->arrivals.size()) {
    Schedule(trace_->arrivals[index + 1].arrival, SimEventType::kLogged, 0, 0, index + 1);
  }
  if (logged.redial && served_[logged.customer]) {
    // The replay served this customer already: they do not call again.
    if (recording_) {
      ContactRecord& record = result_.log.emplace_back();
      record.customer = logged.customer;
      record.redial = true;
      record.arrival_s = static_cast<double>(now_) / kMicrosPerSecond;
      record.outcome = LoggedOutcome::kSkipped;
      const uint32_t position = streams_[logged.traffic].variants[0].position;
      if (position < NoQueue()) record.queue = config_.queues[position].id;
    }
    return;
  }
  Micros patience = logged.wait;
  if (!logged.abandoned) patience = CensoredPatience(logged.wait);
  const ContactSlot slot = resolved_->NextContactSlot();
  Enter(logged.traffic, 0, logged.handle, patience, logged.customer, logged.first_arrival,
        streams_[logged.first_traffic].variants[0].position, logged.redial);
  contacts_[slot].accepts = logged.accepts;
}

Micros Replication::CensoredPatience(Micros wait) {
  const double mean_s = trace_->patience_mean_s;
  if (std::isinf(mean_s)) return kNeverMicros;  // nobody abandoned in the log
  auto tail = [&](Micros from) {
    return from + Sampler::ToMicros(-std::log(logged_patience_.UniformPositive()) * mean_s);
  };
  const std::vector<std::pair<Micros, double>>& s = trace_->survival;
  if (s.empty()) return tail(wait);  // exponential: it forgets the wait
  const double u = logged_patience_.UniformPositive();
  // Kaplan–Meier: the first abandonment time t > wait with S(t) <= u * S(wait).
  auto after = std::upper_bound(s.begin(), s.end(), wait,
                                [](Micros t, const std::pair<Micros, double>& step) {
                                  return t < step.first;
                                });
  const double survived = after == s.begin() ? 1.0 : std::prev(after)->second;
  const double target = u * survived;
  auto found = std::partition_point(after, s.end(), [target](const std::pair<Micros, double>& step) {
    return step.second > target;
  });
  if (found != s.end()) return found->first;
  return tail(std::max(wait, s.back().first));  // beyond the estimate's reach
}

void Replication::Arrive(uint32_t traffic, const PendingRedial* redial) {
  Stream& stream = streams_[traffic];
  const Micros handle = stream.handle_sampler.Draw(stream.handle);
  const Micros patience = stream.patience_sampler.Draw(stream.patience);
  if (redial == nullptr) ScheduleNextArrival(traffic, now_);
  int variant_index = redial != nullptr ? static_cast<int>(redial->variant) : -1;
  if (variant_index < 0) {
    variant_index = 0;
    if (stream.variants.size() > 1) {
      const double u = stream.attributes.Uniform();
      while (stream.variants[variant_index].cumulative_share <= u &&
             variant_index + 1 < static_cast<int>(stream.variants.size())) {
        ++variant_index;
      }
    }
  }
  // A redial has its first call's attribute set, hence its queue.
  const uint32_t queue = stream.variants[variant_index].position;
  if (redial != nullptr) {
    Enter(traffic, variant_index, handle, patience, redial->customer, redial->first_arrival,
          queue, true);
  } else {
    Enter(traffic, variant_index, handle, patience, customers_, now_, queue, false);
    ++customers_;
  }
}

void Replication::Enter(uint32_t traffic, int variant_index, Micros handle, Micros patience,
                        uint64_t customer, Micros first_arrival, uint32_t first_queue,
                        bool redial) {
  ++result_.contacts;
  const Variant& variant = streams_[traffic].variants[variant_index];

  // The customer's record first: an overflow rule may act on it as it arrives.
  const ContactSlot slot = resolved_->NextContactSlot();
  if (slot >= contacts_.size()) contacts_.resize(slot + 1);
  SimContact& contact = contacts_[slot];
  contact.traffic = traffic;
  contact.variant = static_cast<uint32_t>(variant_index);
  contact.queue = variant.position;
  contact.arrival = now_;
  contact.entered = now_;
  contact.callback = false;
  contact.accepts = OverflowRule::Action::kDisconnect;
  contact.handle = handle;
  contact.redial = redial;
  contact.customer = customer;
  contact.first_arrival = first_arrival;
  contact.first_queue = first_queue;
  if (recording_) {
    const TrafficConfig& stream = config_.traffic[traffic];
    contact.record = result_.log.size();
    ContactRecord& record = result_.log.emplace_back();
    record.customer = customer;
    record.redial = redial;
    record.arrival_s = static_cast<double>(now_) / kMicrosPerSecond;
    // A replay reports the queue the contact entered (its entry rules may have chosen it).
    record.queue = trace_ == nullptr        ? stream.queue
                   : variant.position < NoQueue() ? config_.queues[variant.position].id
                                                  : std::string();
    if (!stream.attributes.empty()) record.attributes = stream.attributes[variant_index].attributes;
    record.channel = stream.channel;
    record.priority = stream.priority;
    record.handle_s = static_cast<double>(handle) / kMicrosPerSecond;
  }
  contact.counted = now_ >= window_start_ && now_ < window_end_;
  contact.waiting = true;
  if (contact.counted) {
    contact.interval = IntervalOf(now_);
    ++TallyFor(contact, false).offered;
    ++TallyFor(contact, true).offered;
  }
  CountBoth(contact, contact.redial ? &Tally::redials : &Tally::first_attempts);
  if (variant.deflect) {  // an entry rule sends these customers elsewhere at once
    contact.waiting = false;
    Record(contact, LoggedOutcome::kDeflected);
    CountBoth(contact, &Tally::deflected);
    return;
  }
  contact.sequence = 0;
  const ContactSlot added =
      resolved_->AddContactByIndex(variant.entry, config_.traffic[traffic].channel,
                                   origin_ + now_, variant.priority, variant.priority_class);
  assert(added == slot);
  (void)added;
  contact.sequence = resolved_->SequenceOf(slot);
  if (patience != kNeverMicros && resolved_->IsUnanswered(slot) && !contact.callback) {
    Schedule(now_ + patience, SimEventType::kAbandon, slot, 0, contact.sequence);
  }
}

// Simulated agents answer each offer after answer_delay, or let it ring out with
// no_answer_probability (the engine then times it out: RONA).
void Replication::AcceptOffers() {
  for (size_t i = 0; i < offers_.size(); ++i) {
    const auto [slot, agent] = offers_[i];
    if (config_.no_answer_probability > 0 && no_answer_.Uniform() < config_.no_answer_probability) {
      continue;
    }
    if (answer_delay_ == 0) {
      Answer(slot, agent);
    } else {
      Schedule(now_ + answer_delay_, SimEventType::kAnswer, agent, slot,
               resolved_->OfferTokenOf(slot));
    }
  }
  offers_.clear();
}

// Ringing counts as waiting (in the wait and in the queue length) until the answer.
void Replication::Answer(ContactSlot slot, AgentIndex agent) {
  if (contacts_[slot].callback) {
    DialBack(slot, agent);
    return;
  }
  CountAnswer(slot);
  resolved_->AcceptByIndex(agent, slot);
  Schedule(now_ + contacts_[slot].handle, SimEventType::kServiceEnd, agent, slot,
           contacts_[slot].sequence);
}

void Replication::DialBack(ContactSlot slot, AgentIndex agent) {
  SimContact& contact = contacts_[slot];
  if (contact.waiting) {
    contact.waiting = false;
    StopWaiting(contact, now_);
  }
  resolved_->AcceptByIndex(agent, slot);  // the agent dials
  const double answer = ResponseOf(contact.queue, contact.rule).answer;
  if (answer < 1 && !(choices_.Uniform() < answer)) {
    // Retried after the rule's spacing, or failed for good (OnEnded).
    resolved_->ReportCallbackByIndex(slot, CallbackResult::kNoAnswer);
    return;
  }
  resolved_->ReportCallbackByIndex(slot, CallbackResult::kConnected);
  CountAnswer(slot);
  CountBoth(contact, &Tally::callbacks_connected);
  Schedule(now_ + contact.handle, SimEventType::kServiceEnd, agent, slot, contact.sequence);
}

void Replication::CountAnswer(ContactSlot slot) {
  SimContact& contact = contacts_[slot];
  if (contact.waiting) {
    contact.waiting = false;
    StopWaiting(contact, now_);
  }
  Record(contact, LoggedOutcome::kAnswered);
  // A replayed customer may be answered on two calls (a redial logged while the first call
  // still waited): they count as served once.
  bool first_service = true;
  if (trace_ != nullptr) {
    first_service = !served_[contact.customer];
    served_[contact.customer] = true;
  }
  if (contact.counted) {
    const double wait_s = static_cast<double>(now_ - contact.arrival) / kMicrosPerSecond;
    const bool within = now_ - contact.arrival <= sl_threshold_[contact.queue];
    const double ewt_error_s =
        static_cast<double>(resolved_->EstimateAtEntryByIndex(slot)) / kMicrosPerSecond - wait_s;
    for (Tally* tally : {&TallyFor(contact, false), &TallyFor(contact, true)}) {
      ++tally->answered;
      tally->answered_within += within;
      tally->waited += now_ > contact.arrival;
      tally->wait_sum_s += wait_s;
      tally->max_wait_s = std::max(tally->max_wait_s, wait_s);
      tally->ewt_abs_error_sum_s += std::abs(ewt_error_s);
      tally->ewt_error_sum_s += ewt_error_s;
    }
    // A customer is answered at most once (only those who abandon call again); the customer
    // counts where their first call did, if it arrived in the measured period (a redial's
    // arrival is then in it too).
    if (contact.first_arrival >= window_start_ && first_service) {
      const int first_interval = IntervalOf(contact.first_arrival);
      ++result_.queues[contact.first_queue].customers_served;
      ++result_.intervals[first_interval][contact.first_queue].customers_served;
    }
  }
}

void Replication::AnswerAsks() {
  for (size_t i = 0; i < asks_.size(); ++i) {
    const auto [slot, rule, sequence] = asks_[i];
    if (!resolved_->IsAsked(slot, sequence, rule)) continue;  // ended, moved or asked anew
    const SimContact& contact = contacts_[slot];
    const double accept = ResponseOf(contact.queue, rule).accept;
    const bool drawn = accept >= 1 || choices_.Uniform() < accept;
    // A replayed customer whose log shows them accepting this kind of offer accepts it.
    const bool known = contact.accepts != OverflowRule::Action::kDisconnect &&
                       config_.queues[contact.queue].overflow[rule].action == contact.accepts;
    resolved_->AnswerOverflowByIndex(slot, drawn || known);
  }
  asks_.clear();
}

void Replication::OnCallback(ContactSlot slot, size_t rule) {
  SimContact& contact = contacts_[slot];
  contact.callback = true;
  contact.left_line = now_;
  contact.rule = static_cast<uint8_t>(rule);
  // A scheduled callback leaves the queue until it comes back (and is not counted waiting).
  if (config_.queues[contact.queue].overflow[rule].callback.mode ==
          CallbackPolicy::Mode::kScheduled &&
      contact.waiting) {
    contact.waiting = false;
    StopWaiting(contact, now_);
  }
  CountBoth(contact, &Tally::callbacks);
  CountBoth(contact, &Tally::overflowed);
}

void Replication::OnTransferred(ContactSlot slot, QueueIndex, QueueIndex to) {
  SimContact& contact = contacts_[slot];
  CountBoth(contact, &Tally::transferred);
  CountBoth(contact, &Tally::overflowed);
  if (contact.waiting) StopWaiting(contact, now_);
  contact.queue = position_of_[to];
  contact.entered = now_;
  CountBoth(contact, &Tally::offered);
  CountBoth(contact, &Tally::transfers_in);
}

void Replication::OnEnded(ContactSlot slot, ContactOutcome outcome) {
  SimContact& contact = contacts_[slot];
  if (contact.waiting) {
    contact.waiting = false;
    StopWaiting(contact, now_);
  }
  if (outcome == ContactOutcome::kCallbackFailed) {
    Record(contact, LoggedOutcome::kCallbackFailed);
    CountBoth(contact, &Tally::callbacks_failed);  // counted as overflowed when it accepted
    return;
  }
  Record(contact, outcome == ContactOutcome::kDeflected   ? LoggedOutcome::kDeflected
                  : outcome == ContactOutcome::kVoicemail ? LoggedOutcome::kVoicemail
                                                          : LoggedOutcome::kDisconnected);
  CountBoth(contact, outcome == ContactOutcome::kDeflected   ? &Tally::deflected
                     : outcome == ContactOutcome::kVoicemail ? &Tally::voicemail
                                                             : &Tally::disconnected);
  CountBoth(contact, &Tally::overflowed);
}

void Replication::Handle(const SimEvent& event) {
  switch (event.kind()) {
    case SimEventType::kAnswer:
      // Only if it is still ringing for this agent (not abandoned or timed out meanwhile).
      if (resolved_->IsOfferedTo(event.b, event.a) && resolved_->OfferTokenOf(event.b) == event.token) {
        Answer(event.b, event.a);
      }
      return;
    case SimEventType::kArrival:
      Arrive(event.a, nullptr);
      return;
    case SimEventType::kLogged:
      ArriveLogged(event.token);
      return;
    case SimEventType::kRedial: {
      const PendingRedial redial = pending_redials_[event.b];
      free_redials_.push_back(event.b);
      Arrive(event.a, &redial);
      return;
    }
    case SimEventType::kServiceEnd: {
      const AgentIndex agent = event.a;
      const ContactSlot slot = event.b;
      const SimContact contact = contacts_[slot];
      const Micros wrap_up = streams_[contact.traffic].wrap_up;
      if (contact.counted) {
        const double handle_s = static_cast<double>(contact.handle + wrap_up) / kMicrosPerSecond;
        for (Tally* tally : {&TallyFor(contact, false), &TallyFor(contact, true)}) {
          ++tally->handled;
          tally->handle_sum_s += handle_s;
        }
      }
      const uint64_t token = resolved_->CompleteByIndex(agent, slot);
      if (token != 0) {
        if (wrap_up > 0) {
          Schedule(now_ + wrap_up, SimEventType::kWrapUpEnd, agent, 0, token);
        } else {
          resolved_->EndWrapUpByToken(agent, token);
        }
      }
      return;
    }
    case SimEventType::kWrapUpEnd:
      resolved_->EndWrapUpByToken(event.a, event.token);
      return;
    case SimEventType::kAbandon: {
      const ContactSlot slot = event.a;
      if (!resolved_->IsUnanswered(slot) || resolved_->SequenceOf(slot) != event.token) return;
      SimContact& contact = contacts_[slot];
      if (contact.callback) return;  // off the line, waiting for the agent to call
      contact.waiting = false;
      StopWaiting(contact, now_);
      Record(contact, LoggedOutcome::kAbandoned);
      if (contact.counted) {
        ++TallyFor(contact, false).abandoned;
        ++TallyFor(contact, true).abandoned;
      }
      resolved_->AbandonByIndex(slot);
      // Some call again later (redials are not limited to the measured period's arrivals).
      const TrafficConfig& traffic = config_.traffic[contact.traffic];
      Stream& stream = streams_[contact.traffic];
      if (trace_ == nullptr && traffic.redial.probability > 0 &&
          stream.redial.Uniform() < traffic.redial.probability) {
        const Micros after = stream.redial_sampler.Draw(stream.redial);
        if (now_ + after < window_end_) {
          uint32_t entry;
          if (free_redials_.empty()) {
            entry = static_cast<uint32_t>(pending_redials_.size());
            pending_redials_.emplace_back();
          } else {
            entry = free_redials_.back();
            free_redials_.pop_back();
          }
          pending_redials_[entry] = {.customer = contact.customer,
                                     .first_arrival = contact.first_arrival,
                                     .variant = contact.variant};
          Schedule(now_ + after, SimEventType::kRedial, contact.traffic, entry);
        }
      }
      return;
    }
    case SimEventType::kShiftStart:
      on_shift_[event.a] = true;
      Execute(Login{agent_ids_[event.a], /*ready=*/true, {}});
      return;
    case SimEventType::kShiftEnd:
      on_shift_[event.a] = false;
      Execute(Logout{agent_ids_[event.a], /*after_contacts=*/true});
      return;
    case SimEventType::kBreakStart:
      if (on_shift_[event.a]) {
        Execute(SetNotReady{agent_ids_[event.a], "break", /*after_contacts=*/true});
      }
      return;
    case SimEventType::kBreakEnd:
      if (on_shift_[event.a]) Execute(SetReady{agent_ids_[event.a]});
      return;
    case SimEventType::kMark:
      Mark();
      return;
  }
}

absl::StatusOr<ReplicationResult> Replication::Run() {
  SWITCHBOARD_RETURN_IF_ERROR(SetUp());
  while (true) {
    const Micros next_event = calendar_.empty() ? kNeverMicros : calendar_.top().time;
    const Micros engine_deadline = resolved_->NextDeadline();
    Micros next_deadline =
        engine_deadline == kNeverMicros ? kNeverMicros : engine_deadline - origin_;
    // Once no customer is left to come or to serve, the engine's own deadlines (opening hours
    // change every day for ever) no longer matter; customers left waiting get a week past the
    // measured period for a deadline (a closing) to decide their fate.
    if (next_event == kNeverMicros &&
        (resolved_->LiveContacts() == 0 || next_deadline > window_end_ + kDrainHorizon)) {
      next_deadline = kNeverMicros;
    }
    if (next_deadline == kNeverMicros && next_event == kNeverMicros) break;
    if (next_deadline <= next_event) {
      // The engine's own deadline comes first (e.g. an agent's queue delay reached).
      now_ = next_deadline;
      resolved_->MoveTo(origin_ + now_);
    } else {
      const SimEvent event = calendar_.top();
      calendar_.pop();
      now_ = event.time;
      resolved_->MoveTo(origin_ + now_);
      Handle(event);
    }
    AnswerAsks();
    AcceptOffers();
  }
  // Customers still waiting when nothing else can happen (no agent left for them).
  for (const SimContact& contact : contacts_) {
    if (!contact.waiting) continue;
    StopWaiting(contact, window_end_);
    Record(contact, LoggedOutcome::kWaiting);
  }

  // Occupancy from the marks: the window start, each interval boundary, the window end.
  auto occupancy = [](std::pair<Micros, Micros> from, std::pair<Micros, Micros> to) {
    const Micros logged_in = to.second - from.second;
    return logged_in > 0 ? static_cast<double>(to.first - from.first) / logged_in : 0.0;
  };
  result_.occupancy = occupancy(marks_.front(), marks_.back());
  for (int i = 0; i < interval_count_; ++i) {
    result_.interval_occupancy.push_back(occupancy(marks_[i], marks_[i + 1]));
  }
  return std::move(result_);
}

}  // namespace

namespace {

absl::StatusOr<SimulationResult> RunReplications(const SimulationConfig& config,
                                                 const detail::Trace* trace,
                                                 const RunOptions& options) {
  if (options.threads < 1 || options.threads > kMaxThreads) {
    return absl::InvalidArgumentError(
        fmt::format("threads is {}; expected 1..{}", options.threads, kMaxThreads));
  }
  const int n = config.replications;
  std::vector<absl::StatusOr<ReplicationResult>> runs;
  try {
    runs.assign(n, absl::UnknownError("not run"));
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(
        fmt::format("out of memory for the results of {} replications", n));
  }
  std::atomic<int> next{0};
  std::atomic<int> done{0};
  std::mutex mutex;                     // guards the progress callback and progress_error
  std::exception_ptr progress_error;    // the first exception the callback threw
  // Runs replications until none is left. Nothing leaves it by an exception: running out of
  // memory fails that replication, and the callback's exception stops the run.
  auto worker = [&]() noexcept {
    for (int r = next++; r < n; r = next++) {
      try {
        Replication replication(config, DeriveSeed(config.seed, static_cast<uint64_t>(r)), trace,
                                options.record_contacts && r == 0);
        runs[r] = replication.Run();
      } catch (const std::bad_alloc&) {
        runs[r] = absl::ResourceExhaustedError(
            fmt::format("out of memory in replication {} of {}", r + 1, n));
      } catch (const std::exception& error) {
        runs[r] = absl::InternalError(
            fmt::format("replication {} of {}: {}", r + 1, n, error.what()));
      }
      if (!runs[r].ok()) next = n;  // the run has failed: start no more
      const int finished = ++done;
      if (options.progress) {
        std::lock_guard<std::mutex> lock(mutex);
        if (progress_error) continue;
        try {
          options.progress(finished, n);
        } catch (...) {
          progress_error = std::current_exception();
          next = n;
        }
      }
    }
  };
  const int threads = std::min(options.threads, n);
  std::vector<std::thread> pool;
  absl::Status start_status;
  for (int t = 1; t < threads; ++t) {  // the calling thread is the first worker
    try {
      pool.emplace_back(worker);
    } catch (const std::system_error& error) {
      start_status = absl::ResourceExhaustedError(fmt::format(
          "could not start thread {} of {} ({}); ask for fewer threads", t + 1, threads,
          error.what()));
    } catch (const std::bad_alloc&) {
      start_status = absl::ResourceExhaustedError(fmt::format(
          "out of memory starting thread {} of {}; ask for fewer threads", t + 1, threads));
    }
    if (!start_status.ok()) {
      next = n;
      break;
    }
  }
  if (start_status.ok()) worker();
  for (std::thread& thread : pool) thread.join();
  if (progress_error) std::rethrow_exception(progress_error);
  SWITCHBOARD_RETURN_IF_ERROR(start_status);
  for (const auto& run : runs) {
    if (!run.ok()) return run.status();
  }

  try {
    SimulationResult result = Combine(config, runs);
    result.contacts = std::move(runs.front()->log);
    return result;
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory combining the replications' results");
  }
}

}  // namespace

absl::StatusOr<SimulationResult> Simulate(const SimulationConfig& config,
                                          const RunOptions& options) {
  SWITCHBOARD_RETURN_IF_ERROR(ValidateSimulation(config));
  return RunReplications(config, nullptr, options);
}

namespace detail {

absl::StatusOr<SimulationResult> SimulateTrace(const SimulationConfig& config, const Trace& trace,
                                               const RunOptions& options) {
  return RunReplications(config, &trace, options);
}

}  // namespace detail

}  // namespace switchboard
