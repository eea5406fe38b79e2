// Fuzzes the engine through its public API: the bytes are decoded into a sequence of commands
// (queues, agents and contacts from small pools of ids, including empty, over-long and invalid
// UTF-8 ones; every command, AnswerOverflow, ReportCallback and SetEntryRules included; times that
// stay, step, jump to the next deadline, go backwards or land near the ends of absl::Time and
// int64 microseconds), each applied through Engine::Execute or its shorthand. Queues get random
// overflow rules (every trigger and action, wait rules in any order, transfer and copy targets
// among the pools' ids, some of them full, asks, callbacks kept in place or scheduled, with
// retries and a time the customer chooses; out-of-range values too) and sometimes opening hours
// (a few zones, short ranges that open and close often, closed and dated days); contacts get
// attributes, may have arrived minutes earlier (past several wait rules) and may name no queue,
// for random entry rules. After every command a light checker (public headers only) asserts:
//  1. a refused command with nothing due by its time emits no events and changes nothing
//     observable (GetContact, GetAgentStats, GetAgentContacts, GetQueueStats of every id in the
//     pools, NextDeadline, and later placements by the entry rules); otherwise it emits only the
//     timers' events (actor system); an accepted command's values are within their documented
//     ranges; AnswerOverflow, ReportCallback and SetEntryRules are accepted exactly when the
//     checker's own account says they may be;
//  2. events are numbered 1, 2, 3, ... with non-decreasing times no later than now();
//  3. every contact that enters (queued, rejected or deflected at entry) leaves with exactly one
//     outcome event (completed, abandoned, removed, rejected, deflected, voicemail, disconnected,
//     callback_failed), and is in the engine exactly between its entry and that event (checked
//     after a final drain that ends all work); its state (waiting, ringing, connected, dialing,
//     parked as a callback) follows from the events and agrees with GetContact; overflow rules act
//     only on waiting contacts that are not callbacks, with a rule of their queue that names the
//     event's trigger, action and target, wait rules in the order they fall due (by wait, then as
//     listed, whatever their place in the list); no contact is transferred more than
//     max_transfers times, nor transferred or copied into a queue holding its max_length (and
//     transfer_target_full only when it does); a copy waits in one other queue at a time, and is
//     counted waiting there;
//  4. NextDeadline is never before now(); once everything has ended only opening hours remain due;
//  5. statistics are non-negative, queue counters (the overflow ones and `open` included) equal a
//     recount from the events, each queue's offered contacts are accounted for (ended there,
//     transferred out, or still there), overflowed = transferred + callbacks + deflected (not at
//     entry) + voicemail + disconnected, callbacks >= callbacks_connected + callbacks_failed; an
//     agent's active contacts are its offered and connected contacts plus its wrap-ups, its state
//     agrees with them, no contact is with two agents, and no agent holds more than its capacity.
// tests/invariants_test.cc checks far more (routing order, work conservation, ...) from a model
// of a fixed scenario; this checker stays independent of any model so that arbitrary, mostly
// invalid, commands can be thrown at the engine.
//
// Input layout: one byte of engine options, then per command: op, time, flags, and the operands
// that op reads (see Fuzzer::Step). Missing bytes read as 0, and a 0 where a policy is read means
// none (no overflow rules, no hours), so inputs written before the policies decode as before
// (except for the op byte, now taken modulo 20). The last byte of the input also picks
// EngineOptions::max_transfers and ewt_initial_interval (see Fuzzer::Options). Op 16 reads one
// more byte that picks a live change (UpdateAgent, RemoveAgent, UpdateQueue, RemoveQueue), a
// supervisor's command (MoveContact, SetContactPriority, AssignContact) or an agent's transfer
// (TransferContact, StartConsult, CompleteConsult, CancelConsult); see Fuzzer::NextLiveCommand.
// For those the checker follows removals (ids NotFound afterwards), moves and transfers (counted
// as transferred out of the queue left, not as overflow, and as offered in the queue entered; a
// transferred contact waits again and still ends once), consults (the consulted agent lists the
// contact and holds a unit of its channel), and capacity updates (an agent may hold more than a
// lowered capacity until its contacts end).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "switchboard/actor.h"
#include "switchboard/agent.h"
#include "switchboard/attributes.h"
#include "switchboard/capacity.h"
#include "switchboard/channel.h"
#include "switchboard/commands.h"
#include "switchboard/contact.h"
#include "switchboard/contact_condition.h"
#include "switchboard/engine.h"
#include "switchboard/entry_rules.h"
#include "switchboard/events.h"
#include "switchboard/limits.h"
#include "switchboard/opening_hours.h"
#include "switchboard/queue.h"
#include "switchboard/stats.h"
#include "switchboard/strategy.h"

namespace switchboard {
namespace {

constexpr int kMaxCommands = 200;
// The last time the engine accepts (9999-12-31T23:59:59Z).
const absl::Time kLastTime = absl::FromUnixSeconds(253402300799);
// Longest step forward of the host's clock while contacts are in the engine (see NextTime).
constexpr absl::Duration kMaxStepWithContacts = absl::Hours(1);
// Longest step once a queue has opening hours (each change is a timer and two events).
constexpr absl::Duration kMaxStepWithHours = absl::Hours(24 * 30);

const std::string kLong(300, 'x');  // longer than any id may be

// Pools: the first entries are well-formed; the rest are empty, invalid UTF-8 or too long.
const std::vector<std::string> kQueues = {"q0", "q1", "q2", "", "\xff\xfe", "q\xc3", kLong};
constexpr size_t kValidQueues = 3;
const std::vector<std::string> kAgents = {"a0", "a1", "a2", "a3", "", "\xc3\x28", kLong};
constexpr size_t kValidAgents = 4;
const std::vector<std::string> kContacts = {"c0", "c1", "c2", "c3", "c4", "c5",
                                            "",   "\xed\xa0\x80", kLong};
constexpr size_t kValidContacts = 6;
const std::vector<std::string> kReasons = {"break", "lunch", "", "\xf8\x88\x80\x80\x80",
                                           std::string(5000, 'r'), "missed_offer"};
const std::vector<std::string> kRequirements = {
    "", "support >= 1", "support >= 3 && !trainee", "sales || support >= 2",
    R"(agent.tier == "gold")", "support >=", "\xff", "((((", "billing >= 101", "true"};
const std::vector<std::string> kSkillNames = {"support", "sales", "trainee", "billing"};

// Entry rules: conditions over a few contact attributes (see ContactAttributes), the last ones
// malformed; deflection targets, the last ones not text.
const std::vector<std::string> kConditions = {"",
                                              R"(language == "ja")",
                                              R"(tier in ["gold", "platinum"])",
                                              "vip",
                                              "age >= 65 || !vip",
                                              R"(contact.language != "en" && age < 18)",
                                              R"(not (tier == "gold") and language in ["en", 3])",
                                              "true",
                                              R"(language ==)",
                                              R"(agent.tier == "gold")",
                                              "((((",
                                              "tier in []",
                                              "\xff"};
const std::vector<std::string> kDeflections = {"web", "chatbot", "", "\xc0\xaf",
                                               std::string(5000, 'w')};
// Overflow rules' waits (the first five valid for a wait rule, 0 too for estimated_wait) and
// callbacks' delays.
const std::vector<absl::Duration> kRuleWaits = {
    absl::Seconds(5),  absl::Seconds(30),        absl::Minutes(1),
    absl::Minutes(10), absl::Hours(1),           absl::ZeroDuration(),
    absl::Seconds(-1), absl::InfiniteDuration(), absl::Hours(100001)};
const std::vector<absl::Duration> kCallbackDelays = {absl::Seconds(10), absl::Minutes(1),
                                                     absl::Minutes(30), absl::ZeroDuration(),
                                                     absl::Seconds(-1)};
const std::vector<std::string> kZones = {"UTC", "America/New_York", "Asia/Tokyo", "Mars/Base"};

const std::vector<absl::Duration> kDurations = {
    absl::ZeroDuration(), absl::Microseconds(1),  absl::Seconds(5),  absl::Seconds(30),
    absl::Seconds(-1),    absl::InfiniteDuration(), -absl::InfiniteDuration(),
    absl::Hours(100001),  absl::Minutes(10),      absl::Microseconds(std::numeric_limits<int64_t>::max())};

// A time far from the usual ones: ends of absl::Time, of int64 microseconds, of the years the
// engine may accept.
absl::Time OddTime(uint8_t b, absl::Time now) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  switch (b % 10) {
    case 0: return absl::InfiniteFuture();
    case 1: return absl::InfinitePast();
    case 2: return absl::FromUnixMicros(kMax - 1);
    case 3: return absl::FromUnixMicros(kMin + 1);
    case 4: return absl::FromUnixSeconds(253402300799);  // 9999-12-31T23:59:59Z
    case 5: return absl::FromUnixSeconds(253402300800);
    case 6: return absl::FromUnixSeconds(-62135596800);  // 0001-01-01
    case 7: return now + absl::Seconds(9.1e12);
    case 8: return now - absl::Seconds(9.1e12);
    default: return absl::FromUnixNanos(kMax);
  }
}

std::string Show(std::string_view s, size_t max = 24) {
  std::string out;
  for (unsigned char c : s.substr(0, max)) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  if (s.size() > max) out += "...(" + std::to_string(s.size()) + " bytes)";
  return "'" + out + "'";
}

std::string DescribeRule(const OverflowRule& r) {
  std::ostringstream out;
  out << OverflowTriggerName(r.trigger) << "(wait=" << absl::FormatDuration(r.wait)
      << " length=" << r.queue_length << ")->" << OverflowActionName(r.action);
  if (!r.target.empty()) out << " target=" << Show(r.target);
  if (r.look_ahead) out << " look_ahead";
  if (r.ask) out << " ask";
  if (!r.reason.empty()) out << " reason=" << Show(r.reason);
  if (r.action == OverflowRule::Action::kCallback) {
    out << " callback(mode=" << static_cast<int>(r.callback.mode)
        << " after=" << absl::FormatDuration(r.callback.after)
        << " priority=" << r.callback.priority << " retries=" << r.callback.retries
        << " retry_after=" << absl::FormatDuration(r.callback.retry_after) << ")";
  }
  return out.str();
}

std::string DescribeHours(const OpeningHours& h) {
  std::ostringstream out;
  out << "zone=" << Show(h.zone);
  for (int day = 0; day < 7; ++day) {
    if (h.weekly[day].empty()) continue;
    out << " day" << day << "=";
    for (const OpeningRange& r : h.weekly[day]) out << FormatOpeningRange(r) << ",";
  }
  for (const absl::CivilDay& day : h.closed_on) out << " closed_on=" << day;
  for (const DatedHours& d : h.overrides) {
    out << " " << d.day << "=";
    for (const OpeningRange& r : d.ranges) out << FormatOpeningRange(r) << ",";
  }
  return out.str();
}

std::string Describe(const Command& command) {
  std::ostringstream out;
  out << absl::FormatTime(command.now) << " " << CommandName(command.body) << " actor="
      << Show(ActorName(command.actor));
  std::visit(
      [&](const auto& b) {
        using B = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<B, AddQueue>) {
          out << " queue=" << Show(b.config.id) << " requirement=" << Show(b.config.requirement)
              << " max_length=" << b.config.max_length;
          for (const OverflowRule& rule : b.config.overflow)
            out << " [" << DescribeRule(rule) << "]";
          if (b.config.hours) out << " hours{" << DescribeHours(*b.config.hours) << "}";
        } else if constexpr (std::is_same_v<B, AddAgent>) {
          out << " agent=" << Show(b.config.id);
        } else if constexpr (std::is_same_v<B, AddContact>) {
          out << " contact=" << Show(b.config.id) << " queue=" << Show(b.config.queue)
              << " channel=" << static_cast<int>(b.config.channel);
          if (b.config.arrival) out << " arrival=" << absl::FormatTime(*b.config.arrival);
          for (const auto& [name, value] : b.config.attributes) {
            out << " " << Show(name) << "=";
            if (const auto* text = std::get_if<std::string>(&value)) {
              out << Show(*text);
            } else {
              out << std::get<double>(value);
            }
          }
        } else if constexpr (std::is_same_v<B, AbandonContact>) {
          out << " contact=" << Show(b.contact);
        } else if constexpr (std::is_same_v<B, RemoveContact>) {
          out << " contact=" << Show(b.contact) << " reason=" << Show(b.reason);
        } else if constexpr (std::is_same_v<B, Advance>) {
        } else if constexpr (std::is_same_v<B, AnswerOverflow>) {
          out << " contact=" << Show(b.contact) << " accepted=" << b.accepted;
          if (b.callback_at) out << " callback_at=" << absl::FormatTime(*b.callback_at);
        } else if constexpr (std::is_same_v<B, ReportCallback>) {
          out << " contact=" << Show(b.contact) << " result=" << static_cast<int>(b.result);
        } else if constexpr (std::is_same_v<B, SetEntryRules>) {
          for (const EntryRule& r : b.rules) {
            out << " [when=" << Show(r.when, 60) << " queue=" << Show(r.queue);
            if (r.priority) out << " priority=" << *r.priority;
            if (r.priority_class) out << " class=" << *r.priority_class;
            if (!r.deflect.empty()) out << " deflect=" << Show(r.deflect);
            out << "]";
          }
        } else if constexpr (std::is_same_v<B, Login> || std::is_same_v<B, Logout> ||
                             std::is_same_v<B, SetReady> || std::is_same_v<B, SetNotReady> ||
                             std::is_same_v<B, RemoveAgent>) {
          out << " agent=" << Show(b.agent);
        } else if constexpr (std::is_same_v<B, UpdateAgent>) {
          out << " agent=" << Show(b.agent) << (b.skills ? " skills" : "")
              << (b.capacity ? " capacity" : "") << (b.queues ? " queues" : "");
          if (b.auto_membership) out << " auto_membership=" << *b.auto_membership;
          if (b.weight) out << " weight=" << *b.weight;
        } else if constexpr (std::is_same_v<B, UpdateQueue>) {
          out << " queue=" << Show(b.config.id) << " requirement=" << Show(b.config.requirement)
              << " max_length=" << b.config.max_length
              << " wrap_up=" << static_cast<int>(b.config.wrap_up.mode);
          for (const OverflowRule& rule : b.config.overflow)
            out << " [" << DescribeRule(rule) << "]";
        } else if constexpr (std::is_same_v<B, RemoveQueue>) {
          out << " queue=" << Show(b.queue) << " move_to=" << Show(b.move_to);
        } else if constexpr (std::is_same_v<B, MoveContact>) {
          out << " contact=" << Show(b.contact) << " queue=" << Show(b.queue);
        } else if constexpr (std::is_same_v<B, SetContactPriority>) {
          out << " contact=" << Show(b.contact) << " priority=" << b.priority;
          if (b.priority_class) out << " class=" << *b.priority_class;
        } else if constexpr (std::is_same_v<B, TransferContact>) {
          out << " agent=" << Show(b.agent) << " contact=" << Show(b.contact)
              << " queue=" << Show(b.queue) << " to_agent=" << Show(b.to_agent)
              << " timeout=" << absl::FormatDuration(b.timeout);
        } else if constexpr (std::is_same_v<B, StartConsult>) {
          out << " agent=" << Show(b.agent) << " contact=" << Show(b.contact)
              << " to_agent=" << Show(b.to_agent);
        } else {
          out << " agent=" << Show(b.agent) << " contact=" << Show(b.contact);
        }
      },
      command.body);
  return out.str();
}

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  // The input's last byte (0 when empty), read without consuming anything.
  uint8_t Last() const { return size_ > 0 ? data_[size_ - 1] : 0; }
  bool Empty() const { return pos_ >= size_; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Byte() % items.size()];
  }
  // Mostly a well-formed id: the first `valid` entries 12 times in 16.
  const std::string& Id(const std::vector<std::string>& pool, size_t valid) {
    const uint8_t b = Byte();
    if (b % 16 < 12) return pool[(b / 16) % valid];
    return pool[valid + (b / 16) % (pool.size() - valid)];
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

class Fuzzer {
 public:
  Fuzzer(const uint8_t* data, size_t size) : in_(data, size) {}
  void Run();

 private:
  struct AgentModel {
    CapacityConfig capacity;
    // contact -> channel, from the wrap-up events (a transferred contact may come back to the
    // same agent and be wrapped up a second time while the first wrap-up runs)
    std::multimap<std::string, Channel> wraps;
    // UpdateAgent changed its capacity: it may hold more than the new one until it holds
    // nothing (commands.h).
    bool over_capacity = false;
  };
  struct QueueCount {
    int64_t entered = 0, rejected = 0, answered = 0, abandoned = 0, removed = 0, completed = 0,
            offers = 0, missed = 0, overflowed = 0, transferred = 0, callbacks = 0,
            callbacks_connected = 0, callbacks_failed = 0, deflected = 0, voicemail = 0,
            disconnected = 0;
    int64_t deflected_at_entry = 0;  // by an entry rule (not an overflow rule)
    int64_t moved = 0;  // transferred by a supervisor or an agent (not an overflow rule)
    bool open = true;                // from queue_opened / queue_closed
    QueueConfig config;              // as accepted
  };
  // A contact between its entry and its outcome, as the events tell it.
  struct LiveContact {
    enum class State { kWaiting, kOffered, kConnected, kDialing, kParked };
    std::string queue;
    State state = State::kWaiting;  // kParked: a callback waiting for its time, out of the queue
    int rings = 0;                  // kOffered: the agents it rings at (multi-offer: several)
    bool asked = false;             // an overflow offer (overflow_offered) awaits an answer
    // Whether the rule asked is a scheduled callback (unknown when rules of both kinds ask).
    std::optional<bool> asked_scheduled;
    bool callback = false;  // accepted a callback
    int transfers = 0;      // by transfer rules and copies that won
    std::string copy;       // the queue where a copy of it waits (a copy rule), or ""
    absl::Time entered;     // into its current queue (arrival, or the transfer)
    // The (wait, list index) of the last wait rule of its queue known to have acted on it: the
    // next one to act comes after it in that order.
    std::optional<std::pair<absl::Duration, size_t>> last_wait;
    // Connected in a queue that was removed since: what it does there counts nowhere (a queue
    // added later under the same id is another queue).
    bool orphaned = false;
  };
  // SetEntryRules as last accepted, with the conditions parsed here.
  struct EntryRuleModel {
    EntryRule rule;
    ContactCondition when;
  };
  [[noreturn]] void Fail(const std::string& what) const;
  void Check(bool condition, const std::string& what) const {
    if (!condition) Fail(what);
  }
  EngineOptions Options();
  absl::Time NextTime();
  absl::Time DrawTime();
  Actor NextActor(const std::string& agent);
  OverflowRule NextRule();
  std::optional<OpeningHours> NextHours();
  // Multi-offer and a reserve policy (valid or not) for a queue.
  void NextRingsAndReserve(QueueConfig& q);
  SetEntryRules NextEntryRules();
  Attributes NextAttributes();
  // A contact id for AnswerOverflow / ReportCallback: mostly one the command may apply to.
  std::string PolicyContact(const std::string& pooled, LiveContact::State state, bool asked);
  Command NextCommand();
  // Op 16: the live changes, the supervisor's commands and the agents' transfers.
  void NextLiveCommand(Command& command, const std::string& agent, const std::string& contact);
  absl::Status Apply(const Command& command, bool shorthand);
  void Step();
  void CheckAccepted(const Command& command) const;
  std::string Observe() const;
  void OnEvents(const std::vector<Event>& events, bool refused);
  void OnOverflowEvent(const Event& e, LiveContact& contact, const std::string& what);
  // The contacts waiting in `queue` as the events tell it (copies included), as the engine
  // counts them for max_length.
  int64_t WaitingIn(const std::string& queue) const;
  // What the entry rules in force say about a contact that names no queue: the index of the
  // first rule whose condition its attributes meet, or nullopt.
  std::optional<size_t> MatchEntryRule(const Attributes& attributes) const;
  // Whether SetEntryRules with these rules must be accepted (commands.h, entry_rules.h).
  bool ValidEntryRules(const std::vector<EntryRule>& rules) const;
  // The command's answer against the checker's account, for the policy commands, with nothing
  // due before it; `events` are the command's own.
  void CheckPolicyCommand(const Command& command, const absl::Status& status,
                          const std::vector<Event>& events);
  void CheckState() const;
  void Drain();

  Reader in_;
  std::optional<Engine> engine_;
  const Command* command_ = nullptr;  // the one whose events OnEvents reads, if any
  absl::Time host_now_ = absl::FromUnixSeconds(1'700'000'000);
  uint64_t last_sequence_ = 0;
  absl::Time last_event_time_ = absl::InfinitePast();
  EngineOptions options_;
  std::map<std::string, LiveContact> live_;  // contacts that entered and have no outcome yet
  std::map<std::string, AgentModel> agents_;
  std::map<std::string, QueueCount> queues_;
  std::vector<EntryRuleModel> entry_rules_;
  std::map<std::string, std::string> consults_;  // contact -> the agent consulted about it
  std::vector<std::string> removed_queues_;       // by the command being checked
  bool any_hours_ = false;          // a queue with opening hours was added (its timers never end)
  std::deque<std::string> recent_;  // last commands and their answers
  // SWITCHBOARD_FUZZ_TRACE=1: every command and its answer on stderr (docs/fuzzing.md).
  const bool trace_ = std::getenv("SWITCHBOARD_FUZZ_TRACE") != nullptr;
};

void Fuzzer::Fail(const std::string& what) const {
  std::fprintf(stderr, "engine_commands_fuzzer: INVARIANT VIOLATED: %s\n  last commands:\n",
               what.c_str());
  for (const std::string& line : recent_) std::fprintf(stderr, "    %s\n", line.c_str());
  std::abort();
}

EngineOptions Fuzzer::Options() {
  const uint8_t b = in_.Byte();
  EngineOptions o;
  // Not below 5 s: see kMaxStepWithContacts.
  const absl::Duration timeouts[] = {absl::Seconds(15), absl::Seconds(5), absl::Seconds(10),
                                     absl::Hours(1)};
  o.offer_timeout = timeouts[b & 3];
  o.rona_cooldown = (b & 4) ? absl::ZeroDuration() : absl::Seconds(60);
  o.max_consecutive_misses = (b >> 3) & 3;
  o.reject_delay = (b & 32) ? absl::Seconds(5) : absl::ZeroDuration();
  o.timeout_delay = (b & 64) ? absl::ZeroDuration() : absl::Seconds(10);
  o.aging_unit = (b & 128) ? absl::Microseconds(1) : absl::Seconds(60);
  o.seed = b;
  if (b == 0xFF) o.offer_timeout = absl::ZeroDuration();  // invalid: Create refuses them
  // From the last byte, so that inputs without policies decode as before.
  const uint8_t x = in_.Last();
  const int transfers[] = {3, 0, 1, 2, 100, 3, 1, 3};
  o.max_transfers = x == 0xFF ? kMaxTransfers + 1 : transfers[x & 7];  // 101: invalid
  const absl::Duration intervals[] = {absl::Seconds(30), absl::Microseconds(1), absl::Seconds(1),
                                      absl::Minutes(10)};
  o.ewt_initial_interval = intervals[(x >> 3) & 3];
  return o;
}

absl::Time Fuzzer::NextTime() {
  absl::Time t = DrawTime();
  // While contacts are in the engine, a step far ahead would replay every offer timeout on the
  // way (with max_consecutive_misses = 0 an unanswered contact rings again and again): work
  // proportional to the step, which is the engine's contract and no use to fuzz. Times past the
  // last the engine accepts stay: it must refuse them at once.
  if (!live_.empty() && t > host_now_ + kMaxStepWithContacts && t <= kLastTime) {
    t = host_now_ + kMaxStepWithContacts;
  }
  // Likewise a queue with opening hours opens and closes a few times a day, whatever else.
  if (any_hours_ && t > host_now_ + kMaxStepWithHours && t <= kLastTime) {
    t = host_now_ + kMaxStepWithHours;
  }
  return t;
}

absl::Time Fuzzer::DrawTime() {
  const uint8_t b = in_.Byte();
  switch (b % 16) {
    case 8:
    case 9:
    case 10:
      return host_now_ + absl::Seconds(in_.Byte() % 60 + 1);
    case 11:
      return host_now_ + absl::Minutes(in_.Byte());
    case 12:
      if (std::optional<absl::Time> next = engine_->NextDeadline()) return *next;
      return host_now_;
    case 13:
      return host_now_ - absl::Seconds(1);
    case 14:
      return OddTime(in_.Byte(), host_now_);
    case 15: {
      int64_t micros = 0;
      for (int i = 0; i < 8; ++i) micros = (micros << 8) | in_.Byte();
      return absl::FromUnixMicros(micros);
    }
    default:
      return host_now_;
  }
}

Actor Fuzzer::NextActor(const std::string& agent) {
  switch (in_.Byte() % 8) {
    case 5: return Actor::Agent(agent);
    case 6: return Actor::Supervisor(in_.Byte() & 1 ? "s1" : "\xc0\x80");
    case 7: return Actor::System();
    default: return Actor::Host();
  }
}

// An overflow rule: every trigger and action, mostly valid, sometimes not (a value out of range,
// a target where none belongs, ask or look-ahead on the wrong action, bad callback numbers).
OverflowRule Fuzzer::NextRule() {
  using Trigger = OverflowRule::Trigger;
  using Action = OverflowRule::Action;
  OverflowRule r;
  const uint8_t t = in_.Byte();
  r.trigger = t % 16 == 15 ? static_cast<Trigger>(5 + t / 16 % 3) : static_cast<Trigger>(t % 5);
  const uint8_t a = in_.Byte();
  r.action = a % 16 == 15 ? static_cast<Action>(6 + a / 16 % 3) : static_cast<Action>(a % 6);
  r.wait = in_.Pick(kRuleWaits);
  const int64_t lengths[] = {0, 1, 2, 5, 0, 1, -1, 3};
  r.queue_length = lengths[in_.Byte() % 8];
  const uint8_t f = in_.Byte();
  if (r.action == Action::kTransfer || r.action == Action::kCopy) {
    r.target = in_.Id(kQueues, kValidQueues);  // itself, one added later, an unknown one: refused
  } else if (r.action == Action::kDeflect) {
    r.target = in_.Pick(kDeflections);
  } else if ((f & 3) == 3) {
    r.target = "web";  // only for transfer and deflect: refused
  }
  r.look_ahead = (f & 4) != 0 && (r.action == Action::kTransfer || (f & 8) != 0);
  r.ask = (f & 16) != 0 &&
          (r.action == Action::kCallback || r.action == Action::kDeflect || (f & 8) != 0);
  if (f & 32) r.reason = in_.Pick(kReasons);
  if (r.action == Action::kCallback || (f & 64)) {
    const uint8_t c = in_.Byte();
    r.callback.mode = static_cast<CallbackPolicy::Mode>(c % 8 == 7 ? 2 : c % 2);
    r.callback.after = kCallbackDelays[(c / 8) % kCallbackDelays.size()];
    const int retries[] = {0, 1, 2, kMaxCallbackRetries, 0, 1, kMaxCallbackRetries + 1, -1};
    r.callback.retries = retries[in_.Byte() % 8];
    const uint8_t d = in_.Byte();
    const absl::Duration spacing[] = {absl::Minutes(10), absl::Seconds(30), absl::Seconds(1),
                                      absl::ZeroDuration()};
    r.callback.retry_after = spacing[d % 4];
    const int priorities[] = {0, 10, -kMaxPriority, kMaxPriority + 1};
    r.callback.priority = priorities[(d / 4) % 4];
  }
  return r;
}

// Multi-offer (ring_agents, some out of range) and, for one byte in two, a reserve policy with
// shares and durations in range or not. 0 reads as one ring and no policy.
void Fuzzer::NextRingsAndReserve(QueueConfig& q) {
  const uint8_t b = in_.Byte();
  const int rings[] = {1, 2, 3, 0, kMaxRingAgents + 1, 8, -1, 1};
  q.ring_agents = rings[b % 8];
  if (!(b & 8)) {
    q.reserve.reset();
    return;
  }
  const double shares[] = {0, 0.5, 0.8, 1, 1.5, -0.1, std::numeric_limits<double>::quiet_NaN(), 0.9};
  ReservePolicy r;
  r.activate_below = shares[in_.Byte() % 8];
  r.deactivate_at = shares[in_.Byte() % 8];
  r.activate_wait = in_.Pick(kDurations);
  r.deactivate_wait = in_.Pick(kDurations);
  if (b & 16) r.window = in_.Pick(kDurations);
  if (b & 32) r.check_every = in_.Pick(kDurations);
  q.reserve = r;
}

// Opening hours, for one byte in four: a zone (one unknown), short ranges on some days so that
// the queue opens and closes often, and closed or dated days around now (some overlapping or
// listed twice: refused). 0 reads as none.
std::optional<OpeningHours> Fuzzer::NextHours() {
  const uint8_t h = in_.Byte();
  if (h % 4 != 1) return std::nullopt;
  OpeningHours hours;
  hours.zone = kZones[(h / 4) % kZones.size()];
  std::vector<OpeningRange> ranges;
  for (int n = 1 + in_.Byte() % 3; n > 0; --n) {
    const int start = in_.Byte() % 144 * 10;
    const int lengths[] = {10, 30, 60, 180, 1440, 20, 0, -10};
    ranges.push_back({start, std::min(start + lengths[in_.Byte() % 8], 1440 + (h & 128 ? 5 : 0))});
  }
  const uint8_t days = in_.Byte();
  for (int day = 0; day < 7; ++day) {
    if ((days & 128) || (days >> day & 1)) hours.weekly[day] = ranges;
  }
  const absl::CivilDay today = absl::ToCivilDay(host_now_, absl::UTCTimeZone());
  const uint8_t d = in_.Byte();
  if (d & 1) hours.closed_on.push_back(today + d / 16 % 3 - 1);
  if (d & 2) hours.overrides.push_back({today + 1, {ranges.front()}});
  if (d & 4) hours.overrides.push_back({today + d / 16 % 3 - 1, {}});  // may repeat closed_on
  return hours;
}

SetEntryRules Fuzzer::NextEntryRules() {
  SetEntryRules command;
  for (int n = in_.Byte() % 5; n > 0; --n) {
    EntryRule rule;
    const uint8_t f = in_.Byte();
    rule.when = in_.Pick(kConditions);
    if (f & 1) rule.queue = in_.Id(kQueues, kValidQueues);
    if (f & 2 || !(f & 1)) {
      if ((f & 12) == 12 || !(f & 1)) rule.deflect = in_.Pick(kDeflections);  // may be ""
    }
    const int priorities[] = {0, 3, -kMaxPriority, kMaxPriority + 1};
    const int classes[] = {0, 1, kMaxPriorityClass, kMaxPriorityClass + 1};
    if (f & 16) rule.priority = priorities[in_.Byte() % 4];
    if (f & 32) rule.priority_class = classes[in_.Byte() % 4];
    if (f & 64) rule.when.clear();  // a default rule
    command.rules.push_back(std::move(rule));
  }
  return command;
}

// Attributes the entry rules' conditions look at (kConditions).
Attributes Fuzzer::NextAttributes() {
  Attributes attributes;
  const uint8_t a = in_.Byte();
  if (a & 1) attributes["language"] = std::string(a & 2 ? "ja" : "en");
  if (a & 4) attributes["tier"] = std::string(a & 8 ? "gold" : "silver");
  if (a & 16) attributes["vip"] = a & 2 ? 1.0 : 0.0;
  if (a & 32) attributes["age"] = a & 64 ? 70.0 : 10.0;
  if (a & 128) attributes["language"] = 3.0;
  return attributes;
}

std::string Fuzzer::PolicyContact(const std::string& pooled, LiveContact::State state, bool asked) {
  const uint8_t b = in_.Byte();
  if (b & 1) return pooled;
  std::vector<std::string> candidates;
  for (const auto& [id, c] : live_) {
    if (c.state == state && (!asked || c.asked)) candidates.push_back(id);
  }
  if (candidates.empty()) return pooled;
  return candidates[(b >> 1) % candidates.size()];
}

Command Fuzzer::NextCommand() {
  const uint8_t op = in_.Byte() % 20;
  Command command;
  command.now = NextTime();
  const std::string& agent = in_.Id(kAgents, kValidAgents);
  const std::string& contact = in_.Id(kContacts, kValidContacts);
  command.actor = NextActor(agent);
  switch (op) {
    case 0: {
      QueueConfig q;
      q.id = in_.Id(kQueues, kValidQueues);
      q.requirement = in_.Pick(kRequirements);
      q.strategy = static_cast<Strategy>(in_.Byte() % (kStrategyCount + 1));
      q.priority = static_cast<int8_t>(in_.Byte());
      q.service_level_threshold = in_.Pick(kDurations);
      const int64_t lengths[] = {0, 0, 1, 2, -1, int64_t{1} << 40};
      q.max_length = lengths[in_.Byte() % 6];
      const uint8_t w = in_.Byte();
      q.wrap_up.mode = static_cast<WrapUpPolicy::Mode>(w % 5);
      q.wrap_up.duration = kDurations[(w / 5) % kDurations.size()];
      q.wrap_up.max_extension = in_.Pick(kDurations);
      // Requirement steps, in any order (the engine must refuse the disordered ones).
      for (int steps = in_.Byte() % 4; steps > 0; --steps) {
        q.steps.push_back({.after = in_.Pick(kDurations), .requirement = in_.Pick(kRequirements)});
      }
      // Overflow rules (up to 4; 17 are too many), then opening hours.
      const uint8_t rules = in_.Byte();
      for (int n = rules == 0xFF ? static_cast<int>(kMaxOverflowRules) + 1 : rules % 5; n > 0;
           --n) {
        q.overflow.push_back(NextRule());
      }
      q.hours = NextHours();
      NextRingsAndReserve(q);
      command.body = AddQueue{std::move(q)};
      break;
    }
    case 1: {
      AgentConfig a;
      a.id = agent;
      const uint8_t skills = in_.Byte();
      for (size_t i = 0; i < kSkillNames.size(); ++i) {
        if (skills & (1u << i)) a.skills[kSkillNames[i]] = in_.Byte() % 102;  // 0, 101: invalid
      }
      const uint8_t shape = in_.Byte();
      switch (shape % 6) {
        case 1:
          a.capacity.Allow(Channel::kChat, 3);
          break;
        case 2:
          a.capacity.limit = {};
          a.capacity.Allow(Channel::kChat, 2).Allow(Channel::kEmail, 3);
          a.capacity.blocks = {};
          break;
        case 3:
          a.capacity.model = CapacityConfig::Model::kCost;
          a.capacity.Allow(Channel::kChat, 3);
          a.capacity.cost[static_cast<int>(Channel::kChat)] = 34;
          break;
        case 4:
          a.capacity.limit = {};  // invalid: no channel
          break;
        default:
          break;
      }
      if (shape & 8) {
        a.auto_membership = false;
        for (int i = 0; i < 1 + (shape >> 6); ++i) {
          QueueMembership m;
          m.queue = in_.Id(kQueues, kValidQueues);
          m.priority = static_cast<int8_t>(in_.Byte());
          m.delay = in_.Pick(kDurations);
          m.reserve = (shape & 16) != 0;
          a.queues.push_back(std::move(m));
        }
      }
      const double weights[] = {1, 0.5, 0, -1, NAN, 1e7, INFINITY, 1e-300};
      a.weight = weights[(shape >> 4) & 7];
      if (shape & 16) a.attributes["tier"] = std::string("gold");
      if (shape & 32) a.attributes[in_.Pick(kReasons)] = in_.Pick(kReasons);
      command.body = AddAgent{std::move(a)};
      break;
    }
    case 2: {
      const uint8_t f = in_.Byte();
      command.body = Login{agent, (f & 1) != 0, (f & 2) ? in_.Pick(kReasons) : std::string()};
      break;
    }
    case 3:
      command.body = Logout{agent, (in_.Byte() & 1) != 0};
      break;
    case 4:
      command.body = SetReady{agent};
      break;
    case 5:
      command.body = SetNotReady{agent, in_.Pick(kReasons), (in_.Byte() & 1) != 0};
      break;
    case 6: {
      ContactConfig c;
      c.id = contact;
      c.queue = in_.Id(kQueues, kValidQueues);
      const uint8_t f = in_.Byte();
      c.channel = static_cast<Channel>(f % 4 == 3 ? in_.Byte() % 12 : f % 4);
      const int priorities[] = {0, 1, -1, 1000, -1000, 1001, std::numeric_limits<int>::min(), 5};
      c.priority = priorities[(f >> 2) & 7];
      const int classes[] = {0, 1, 255, 256, -1, 0, 0, 2};
      c.priority_class = classes[(f >> 5) & 7];
      const uint8_t g = in_.Byte();
      switch (g % 8) {
        case 1: c.arrival = command.now - absl::Seconds(in_.Byte()); break;
        case 2: c.arrival = command.now + absl::Seconds(1); break;
        case 3: c.arrival = OddTime(in_.Byte(), command.now); break;
        default: break;
      }
      if (g & 8) {
        c.preferred_agent = in_.Id(kAgents, kValidAgents);
        c.preferred_timeout = in_.Pick(kDurations);
      }
      if (g & 16) c.attributes[in_.Pick(kReasons)] = in_.Pick(kReasons);
      if (g & 32) c.attributes["score"] = static_cast<double>(static_cast<int8_t>(in_.Byte()));
      if (g & 64) c.queue.clear();  // placed by the entry rules
      if (g & 128) c.attributes.merge(NextAttributes());
      command.body = AddContact{std::move(c)};
      break;
    }
    case 7: command.body = AcceptOffer{agent, contact}; break;
    case 8: command.body = RejectOffer{agent, contact}; break;
    case 9: command.body = HoldContact{agent, contact}; break;
    case 10: command.body = ResumeContact{agent, contact}; break;
    case 11: command.body = CompleteContact{agent, contact}; break;
    case 12:
      command.body = EndWrapUp{agent, (in_.Byte() & 1) ? contact : std::string()};
      break;
    case 13: command.body = ExtendWrapUp{agent, contact, in_.Pick(kDurations)}; break;
    case 14: command.body = AbandonContact{contact}; break;
    case 15: command.body = RemoveContact{contact, in_.Pick(kReasons)}; break;
    case 17: {
      const uint8_t f = in_.Byte();
      AnswerOverflow answer{PolicyContact(contact, LiveContact::State::kWaiting, true),
                            (f & 1) != 0};
      if (f & 2) {  // the time the customer chose for a scheduled callback (some refused)
        const absl::Time at[] = {command.now + absl::Hours(1),
                                 command.now + absl::Minutes(5),
                                 command.now,
                                 command.now - absl::Seconds(1),
                                 kMaxTime + absl::Seconds(1),
                                 command.now + absl::Seconds(10)};
        answer.callback_at = at[(f >> 2) % 6];
      }
      command.body = std::move(answer);
      break;
    }
    case 18: {
      const uint8_t f = in_.Byte();
      command.body = ReportCallback{PolicyContact(contact, LiveContact::State::kDialing, false),
                                    static_cast<CallbackResult>(f % 8 == 7 ? 3 : f % 3)};
      break;
    }
    case 19:
      command.body = NextEntryRules();
      break;
    case 16:
      NextLiveCommand(command, agent, contact);
      break;
    default: command.body = Advance{}; break;
  }
  return command;
}

void Fuzzer::NextLiveCommand(Command& command, const std::string& agent,
                             const std::string& contact) {
  using State = LiveContact::State;
  const uint8_t which = in_.Byte();
  const uint8_t f = in_.Byte();
  const std::string& other_agent = in_.Id(kAgents, kValidAgents);
  const std::string& queue = in_.Id(kQueues, kValidQueues);
  // Mostly a contact connected with an agent, and that agent (the transfer commands' subjects).
  auto connected = [&](std::string& who) {
    std::string id = PolicyContact(contact, State::kConnected, false);
    if (f & 2) {
      if (absl::StatusOr<ContactInfo> info = engine_->GetContact(id);
          info.ok() && !info->agent.empty()) {
        who = info->agent;
      }
    }
    return id;
  };
  switch (which % 12) {
    case 0: {
      UpdateAgent update{.agent = agent};
      if (f & 1) {
        std::map<std::string, int, std::less<>> skills;
        for (size_t i = 0; i < kSkillNames.size(); ++i) {
          if (in_.Byte() & 1) skills[kSkillNames[i]] = in_.Byte() % 102;  // 0, 101: invalid
        }
        update.skills = std::move(skills);
      }
      if (f & 2) {
        CapacityConfig c;
        switch (in_.Byte() % 5) {
          case 1: c.Allow(Channel::kChat, 3); break;
          case 2: c.limit = {}; c.Allow(Channel::kChat, 1); c.blocks = {}; break;
          case 3: c.limit = {}; break;  // invalid: no channel
          case 4: c.Allow(Channel::kVoice, 0); c.Allow(Channel::kEmail, 2); break;
          default: break;
        }
        update.capacity = c;
      }
      if (f & 4) {
        std::vector<QueueMembership> queues;
        for (int i = in_.Byte() % 3; i > 0; --i) {
          queues.push_back({.queue = in_.Id(kQueues, kValidQueues),
                            .priority = static_cast<int8_t>(in_.Byte()),
                            .delay = in_.Pick(kDurations)});
        }
        update.queues = std::move(queues);
      }
      if (f & 8) update.auto_membership = (f & 16) != 0;
      if (f & 32) {
        const double weights[] = {1, 0.5, 0, -1, NAN, 1e7, 2, 1e-300};
        update.weight = weights[in_.Byte() % 8];
      }
      if (f & 64) update.team = in_.Pick(kReasons);
      command.body = std::move(update);
      break;
    }
    case 1:
      command.body = RemoveAgent{agent};
      break;
    case 2: {
      QueueConfig q;
      if (auto it = queues_.find(queue); it != queues_.end()) q = it->second.config;
      q.id = queue;
      if (f & 1) q.requirement = in_.Pick(kRequirements);
      if (f & 2) q.strategy = static_cast<Strategy>(in_.Byte() % (kStrategyCount + 1));
      if (f & 4) {
        const int64_t lengths[] = {0, 0, 1, 2, -1, int64_t{1} << 40};
        q.max_length = lengths[in_.Byte() % 6];
      }
      if (f & 8) {
        const uint8_t w = in_.Byte();
        q.wrap_up.mode = static_cast<WrapUpPolicy::Mode>(w % 5);
        q.wrap_up.duration = kDurations[(w / 5) % kDurations.size()];
      }
      if (f & 16) {
        q.overflow.clear();
        for (int n = in_.Byte() % 4; n > 0; --n) q.overflow.push_back(NextRule());
      }
      if (f & 32) {
        q.steps.clear();
        for (int steps = in_.Byte() % 3; steps > 0; --steps) {
          q.steps.push_back({.after = in_.Pick(kDurations), .requirement = in_.Pick(kRequirements)});
        }
      }
      if (f & 64) q.service_level_threshold = in_.Pick(kDurations);
      if (f & 128) NextRingsAndReserve(q);
      command.body = UpdateQueue{std::move(q)};
      break;
    }
    case 3:
      command.body = RemoveQueue{queue, (f & 1) ? in_.Id(kQueues, kValidQueues) : std::string()};
      break;
    case 4:
      command.body = MoveContact{PolicyContact(contact, State::kWaiting, false), queue};
      break;
    case 5: {
      const int priorities[] = {0, 1, -1, 1000, -1000, 1001, std::numeric_limits<int>::min(), 5};
      SetContactPriority change{PolicyContact(contact, State::kWaiting, false),
                                priorities[f & 7]};
      if (f & 8) {
        const int classes[] = {0, 1, 255, 256, -1, 0, 0, 2};
        change.priority_class = classes[(f >> 4) & 7];
      }
      command.body = std::move(change);
      break;
    }
    case 6:
      command.body = AssignContact{PolicyContact(contact, State::kWaiting, false), agent};
      break;
    case 7: {
      std::string who = agent;
      TransferContact transfer{.contact = connected(who)};
      transfer.agent = who;
      if (f & 4) transfer.queue = queue;
      if (f & 8) {
        transfer.to_agent = (f & 16) ? who : other_agent;  // to itself: refused
        transfer.timeout = in_.Pick(kDurations);
      }
      command.body = std::move(transfer);
      break;
    }
    case 8: {
      std::string who = agent;
      const std::string id = connected(who);
      command.body = StartConsult{who, id, (f & 16) ? who : other_agent};
      break;
    }
    case 9: {
      std::string who = agent;
      const std::string id = connected(who);
      command.body = CompleteConsult{who, id};
      break;
    }
    case 10: {
      std::string who = agent;
      const std::string id = connected(who);
      // The consulted agent may cancel too.
      if (f & 4) {
        if (auto it = consults_.find(id); it != consults_.end()) who = it->second;
      }
      command.body = CancelConsult{who, id};
      break;
    }
    default:
      command.body = Advance{};
      break;
  }
}

// Through Execute, or the shorthand that must do exactly the same.
absl::Status Fuzzer::Apply(const Command& command, bool shorthand) {
  Engine& e = *engine_;
  if (!shorthand) return e.Execute(command);
  const absl::Time t = command.now;
  const Actor& actor = command.actor;
  return std::visit(
      [&](const auto& b) -> absl::Status {
        using B = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<B, AddQueue>) return e.AddQueue(t, b.config, actor);
        if constexpr (std::is_same_v<B, AddAgent>) return e.AddAgent(t, b.config, actor);
        if constexpr (std::is_same_v<B, Login>) {
          if (!b.reason.empty()) return e.Execute(command);  // the shorthand has no reason
          return e.Login(t, b.agent, b.ready, actor);
        }
        if constexpr (std::is_same_v<B, Logout>) return e.Logout(t, b.agent, b.after_contacts, actor);
        if constexpr (std::is_same_v<B, SetReady>) return e.SetReady(t, b.agent, actor);
        if constexpr (std::is_same_v<B, SetNotReady>) {
          return e.SetNotReady(t, b.agent, b.reason, b.after_contacts, actor);
        }
        if constexpr (std::is_same_v<B, AddContact>) return e.AddContact(t, b.config, actor);
        if constexpr (std::is_same_v<B, AcceptOffer>) return e.Accept(t, b.agent, b.contact, actor);
        if constexpr (std::is_same_v<B, RejectOffer>) return e.Reject(t, b.agent, b.contact, actor);
        if constexpr (std::is_same_v<B, HoldContact>) return e.Hold(t, b.agent, b.contact, actor);
        if constexpr (std::is_same_v<B, ResumeContact>) return e.Resume(t, b.agent, b.contact, actor);
        if constexpr (std::is_same_v<B, CompleteContact>) {
          return e.Complete(t, b.agent, b.contact, actor);
        }
        if constexpr (std::is_same_v<B, EndWrapUp>) return e.EndWrapUp(t, b.agent, b.contact, actor);
        if constexpr (std::is_same_v<B, ExtendWrapUp>) {
          return e.ExtendWrapUp(t, b.agent, b.contact, b.extension, actor);
        }
        if constexpr (std::is_same_v<B, AbandonContact>) return e.Abandon(t, b.contact, actor);
        if constexpr (std::is_same_v<B, RemoveContact>) {
          return e.Remove(t, b.contact, b.reason, actor);
        }
        if constexpr (std::is_same_v<B, AnswerOverflow>) {
          return e.AnswerOverflow(t, b.contact, b.accepted, actor, b.callback_at);
        }
        if constexpr (std::is_same_v<B, ReportCallback>) {
          return e.ReportCallback(t, b.contact, b.result, actor);
        }
        if constexpr (std::is_same_v<B, SetEntryRules>) return e.SetEntryRules(t, b.rules, actor);
        if constexpr (std::is_same_v<B, Advance>) {
          return e.AdvanceTo(t);
        } else {
          // The live changes, supervisor commands and transfers have no shorthand.
          return e.Execute(command);
        }
      },
      command.body);
}

std::string ContactText(const ContactInfo& c) {
  std::ostringstream out;
  out << Show(c.id) << " queue=" << Show(c.queue) << " channel=" << static_cast<int>(c.channel)
      << " state=" << ContactStateName(c.state) << " agent=" << Show(c.agent)
      << " arrival=" << absl::FormatTime(c.arrival) << " priority=" << c.priority << "/"
      << c.priority_class << " attributes=" << c.attributes.size()
      << " ewt=" << absl::FormatDuration(c.estimated_wait);
  return out.str();
}

// Everything the public API shows of the ids in the pools.
std::string Fuzzer::Observe() const {
  const Engine& e = *engine_;
  std::ostringstream out;
  out << "now=" << absl::FormatTime(e.now()) << " next=";
  if (std::optional<absl::Time> next = e.NextDeadline()) {
    out << absl::FormatTime(*next);
  } else {
    out << "none";
  }
  out << "\n";
  for (const std::string& id : kContacts) {
    absl::StatusOr<ContactInfo> c = e.GetContact(id);
    out << "contact " << (c.ok() ? ContactText(*c) : c.status().ToString()) << "\n";
  }
  for (const std::string& id : kAgents) {
    absl::StatusOr<AgentStats> s = e.GetAgentStats(id);
    if (!s.ok()) {
      out << "agent " << Show(id) << " " << s.status().ToString() << "\n";
      continue;
    }
    out << "agent " << Show(id) << " state=" << AgentStateName(s->state) << " reason="
        << Show(s->not_ready_reason) << " in_state=" << absl::FormatDuration(s->time_in_state)
        << " handled=" << s->contacts_handled << "/" << s->contacts_handled_total
        << " active=" << s->active_contacts << " occupancy=" << s->occupancy;
    for (const absl::Duration& d : s->time_by_state) out << " " << absl::FormatDuration(d);
    absl::StatusOr<std::vector<ContactInfo>> held = e.GetAgentContacts(id);
    if (held.ok()) {
      for (const ContactInfo& c : *held) out << " [" << ContactText(c) << "]";
    }
    out << "\n";
  }
  for (const std::string& id : kQueues) {
    absl::StatusOr<QueueStats> q = e.GetQueueStats(id);
    if (!q.ok()) {
      out << "queue " << Show(id) << " " << q.status().ToString() << "\n";
      continue;
    }
    out << "queue " << Show(id) << " waiting=" << q->waiting
        << " longest=" << absl::FormatDuration(q->longest_wait) << " offered=" << q->offered
        << " rejected=" << q->rejected << " answered=" << q->answered << "/"
        << q->answered_within_threshold << " abandoned=" << q->abandoned
        << " removed=" << q->removed << " completed=" << q->completed << " offers=" << q->offers
        << "/" << q->offers_missed << " sl=" << q->service_level
        << " asa=" << absl::FormatDuration(q->asa) << " open=" << q->open
        << " overflowed=" << q->overflowed << " transferred=" << q->transferred
        << " callbacks=" << q->callbacks << "/" << q->callbacks_connected << "/"
        << q->callbacks_failed << " deflected=" << q->deflected << " voicemail=" << q->voicemail
        << " disconnected=" << q->disconnected
        << " ewt_error=" << absl::FormatDuration(q->ewt_error)
        << " ewt_bias=" << absl::FormatDuration(q->ewt_bias) << "\n";
  }
  return out.str();
}

void Fuzzer::OnEvents(const std::vector<Event>& events, bool refused) {
  using State = LiveContact::State;
  const absl::Time now = engine_->now();
  for (const Event& e : events) {
    if (trace_) std::fprintf(stderr, "  %s\n", Show(FormatEvent(e), 400).c_str());
    const std::string what = "event #" + std::to_string(e.sequence) + " " +
                             std::string(EventTypeName(e.type)) + " contact=" + Show(e.contact_id) +
                             " agent=" + Show(e.agent_id) + " queue=" + Show(e.queue_id);
    Check(e.sequence == last_sequence_ + 1,
          what + ": expected sequence " + std::to_string(last_sequence_ + 1));
    last_sequence_ = e.sequence;
    Check(e.time >= last_event_time_, what + ": time goes backwards");
    Check(e.time <= now, what + ": later than now()");
    last_event_time_ = e.time;
    if (refused) {
      Check(e.actor.kind == Actor::Kind::kSystem,
            what + ": a refused command emitted an event of its own");
    }
    Check(e.wait_micros >= 0, what + ": negative wait " + std::to_string(e.wait_micros));
    QueueCount* q = nullptr;
    if (auto it = queues_.find(e.queue_id); it != queues_.end()) q = &it->second;
    // Entering: queued (then live), or rejected or deflected at once (entered and left).
    const bool at_entry = e.type == EventType::kContactQueued ||
                          e.type == EventType::kContactRejected ||
                          (e.type == EventType::kContactDeflected && e.reason == "entry_rule");
    if (at_entry) {
      Check(!live_.contains(e.contact_id), what + ": a contact entered that is in the engine");
      if (q) ++q->entered;
      if (e.type == EventType::kContactQueued) {
        Check(q != nullptr, what + ": queued in a queue never added");
        live_[e.contact_id] = {.queue = e.queue_id,
                               .entered = e.time - absl::Microseconds(e.wait_micros)};
      } else if (e.type == EventType::kContactRejected) {
        Check(q != nullptr, what + ": rejected by a queue never added");
        ++q->rejected;
        Check(e.outcome == ContactOutcome::kRejected, what + ": rejected without its outcome");
      } else {
        if (q) ++q->deflected, ++q->deflected_at_entry;
        Check(e.outcome == ContactOutcome::kDeflected, what + ": deflected without its outcome");
        Check(!e.target.empty(), what + ": deflected nowhere");
      }
      continue;
    }
    // Events of one queue, or of no contact.
    if (e.type == EventType::kQueueOpened || e.type == EventType::kQueueClosed) {
      Check(q != nullptr && q->config.hours.has_value(),
            what + ": opening hours of a queue without hours");
      Check(e.actor.kind == Actor::Kind::kSystem || e.type == EventType::kQueueClosed,
            what + ": opened by a command");
      q->open = e.type == EventType::kQueueOpened;
      continue;
    }
    // Removals: the id is free again (a queue's contacts connected there still end there).
    if (e.type == EventType::kQueueRemoved) {
      // Its waiting contacts move after this event (contact_transferred, reason "moved"); the
      // queue leaves the account after the command's events (Step).
      Check(q != nullptr, what + ": removed a queue never added");
      removed_queues_.push_back(e.queue_id);
      continue;
    }
    // Updates: from their event on (the timers' events before it saw the old configuration).
    if (e.type == EventType::kQueueUpdated && command_ != nullptr) {
      const auto* update = std::get_if<UpdateQueue>(&command_->body);
      Check(q != nullptr && update != nullptr && update->config.id == e.queue_id,
            what + ": not from update_queue");
      q->config = update->config;
      any_hours_ |= update->config.hours.has_value();
      // Wait rules already past for a contact never fire for it (commands.h, UpdateQueue).
      for (auto& [id, live] : live_) {
        if (live.queue == e.queue_id) {
          live.last_wait =
              std::make_pair(e.time - live.entered, std::numeric_limits<size_t>::max());
        }
      }
      continue;
    }
    if (e.type == EventType::kAgentUpdated && command_ != nullptr) {
      const auto* update = std::get_if<UpdateAgent>(&command_->body);
      auto a = agents_.find(e.agent_id);
      Check(a != agents_.end() && update != nullptr && update->agent == e.agent_id,
            what + ": not from update_agent");
      if (update->capacity) {
        a->second.capacity = *update->capacity;
        a->second.over_capacity = true;  // until it holds nothing (Step)
      }
      continue;
    }
    if (e.type == EventType::kAgentRemoved) {
      Check(agents_.erase(e.agent_id) == 1, what + ": removed an agent never added");
      continue;
    }
    if (e.contact_id.empty() || e.type == EventType::kEntryRuleMatched) continue;
    LiveContact* c = nullptr;
    if (auto it = live_.find(e.contact_id); it != live_.end()) c = &it->second;
    auto in_state = [&](std::initializer_list<State> states, const char* expected) {
      Check(c != nullptr, what + ": the contact is not in the engine");
      Check(std::find(states.begin(), states.end(), c->state) != states.end(),
            what + ": the contact is not " + expected + " (state " +
                std::to_string(static_cast<int>(c->state)) + ")");
    };
    switch (e.type) {
      case EventType::kContactOffered:
        // Offered again only as a multi-offer rings at one more agent.
        in_state({State::kWaiting, State::kOffered},
                 "waiting, or ringing (a multi-offer) (a parked callback routed before its time?)");
        Check(e.deadline >= e.time, what + ": offer deadline before the offer");
        Check(e.queue_id == c->queue, what + ": offered in another queue than the contact's");
        c->rings = c->state == State::kOffered ? c->rings + 1 : 1;
        Check(c->rings <= kMaxRingAgents, what + ": rings at more than kMaxRingAgents");
        c->state = State::kOffered;
        c->copy.clear();  // reached here: its copy is withdrawn
        if (q) ++q->offers;
        break;
      case EventType::kOfferAccepted:
        in_state({State::kOffered}, "offered");
        Check(c->rings == 1, what + ": accepted while other offers ring");
        c->rings = 0;
        c->state = State::kConnected;
        if (q && !c->callback) ++q->answered;
        break;
      case EventType::kOfferRejected:
      case EventType::kOfferTimedOut:
        in_state({State::kOffered}, "offered");
        if (--c->rings == 0) c->state = State::kWaiting;  // else it rings at others still
        if (q) ++q->missed;
        break;
      case EventType::kOfferWithdrawn:
        in_state({State::kOffered}, "offered");
        // Another agent accepted it, or it leaves: its outcome follows the last withdrawal.
        if (--c->rings == 0) c->state = State::kWaiting;
        break;
      case EventType::kContactHeld:
      case EventType::kContactResumed:
        in_state({State::kConnected}, "connected");
        break;
      case EventType::kPreferredTimedOut:
      case EventType::kContactRequirementChanged:
        in_state({State::kWaiting}, "waiting");
        break;
      case EventType::kContactAbandoned:
        in_state({State::kWaiting, State::kParked}, "waiting, ringing or parked");
        if (q) ++q->abandoned;
        break;
      case EventType::kContactRemoved:
        in_state({State::kWaiting, State::kParked}, "waiting, ringing or parked");
        if (q) ++q->removed;
        break;
      case EventType::kContactCompleted:
        in_state({State::kConnected}, "connected");
        if (q && !c->orphaned) ++q->completed;
        break;
      case EventType::kCallbackDialing:
        in_state({State::kConnected}, "just accepted");
        Check(c->callback, what + ": dialing a contact that is not a callback");
        c->state = State::kDialing;
        break;
      case EventType::kCallbackConnected:
        in_state({State::kDialing}, "dialing");
        c->state = State::kConnected;
        if (q) ++q->answered, ++q->callbacks_connected;
        break;
      case EventType::kCallbackAttemptFailed:
        in_state({State::kDialing}, "dialing");
        Check(e.reason == "no_answer" || e.reason == "busy", what + ": reason " + Show(e.reason));
        Check(e.deadline > e.time, what + ": next attempt not after the failed one");
        c->state = State::kParked;
        break;
      case EventType::kCallbackFailed:
        in_state({State::kDialing}, "dialing");
        if (q) ++q->callbacks_failed;
        break;
      case EventType::kCallbackDue:
        in_state({State::kParked}, "parked");
        Check(e.actor.kind == Actor::Kind::kSystem && e.cause == Cause::kCallbackDue,
              what + ": not by its timer");
        c->state = State::kWaiting;
        break;
      case EventType::kContactTransferred:
        if (e.reason == "moved" || e.reason == "blind" || e.reason == "direct" ||
            e.reason == "consult") {
          // Not a rule's: a supervisor's move (or a removed queue's), or an agent's transfer.
          const bool by_agent = e.reason != "moved";
          in_state({by_agent ? State::kConnected : State::kWaiting},
                   by_agent ? "connected" : "waiting");
          Check(c->queue == e.queue_id, what + ": names another queue than the contact's");
          Check(!by_agent || !e.agent_id.empty(), what + ": an agent's transfer names no agent");
          if (e.reason == "consult") {
            // It stays connected, now with the consulted agent, in its queue.
            Check(e.target == c->queue, what + ": a consult's transfer names another queue");
            break;
          }
          // From a removed queue too (an agent's contact connected there), never into one.
          auto target = queues_.find(e.target);
          Check((q != nullptr || by_agent) && target != queues_.end(),
                what + ": transferred from or to a queue never added");
          if (q && !c->orphaned) ++q->transferred, ++q->moved;
          c->orphaned = false;
          ++target->second.entered;
          ++c->transfers;
          c->state = State::kWaiting;
          c->callback = false;  // a connected callback is a live conversation now
          c->queue = e.target;
          c->entered = e.time;
          c->asked = false;
          c->last_wait.reset();
          break;
        }
        [[fallthrough]];
      case EventType::kOverflowOffered:
      case EventType::kOverflowDeclined:
      case EventType::kContactCopied:
      case EventType::kTransferLimitHit:
      case EventType::kTransferTargetFull:
      case EventType::kContactDeflected:
      case EventType::kContactVoicemail:
      case EventType::kContactDisconnected:
      case EventType::kCallbackAccepted:
      case EventType::kCallbackScheduled:
        in_state({State::kWaiting}, "waiting");
        Check(q != nullptr, what + ": in a queue never added");
        OnOverflowEvent(e, *c, what);
        break;
      case EventType::kWrapUpStarted: {
        auto a = agents_.find(e.agent_id);
        Check(a != agents_.end(), what + ": wrap-up of an agent never added");
        a->second.wraps.emplace(e.contact_id, e.channel);
        break;
      }
      case EventType::kWrapUpEnded: {
        auto a = agents_.find(e.agent_id);
        Check(a != agents_.end() && a->second.wraps.contains(e.contact_id),
              what + ": end of a wrap-up that had not started");
        a->second.wraps.erase(a->second.wraps.find(e.contact_id));
        break;
      }
      case EventType::kConsultStarted:
        in_state({State::kConnected}, "connected");
        Check(consults_.emplace(e.contact_id, e.target).second,
              what + ": a second consult about the contact");
        break;
      case EventType::kConsultCompleted:
      case EventType::kConsultCancelled:
        in_state({State::kConnected}, "connected");
        Check(consults_.erase(e.contact_id) == 1, what + ": no consult open about the contact");
        break;
      default:
        break;
    }
    if (e.outcome != ContactOutcome::kNone) {
      auto it = live_.find(e.contact_id);
      Check(it != live_.end(), what + ": outcome for a contact not in the engine (a second one?)");
      Check(it->second.queue == e.queue_id, what + ": outcome names another queue");
      Check(!consults_.contains(e.contact_id), what + ": a contact with a consult open ended");
      live_.erase(it);
    }
  }
}

int64_t Fuzzer::WaitingIn(const std::string& queue) const {
  int64_t n = 0;
  for (const auto& [id, c] : live_) {
    n += (c.state == LiveContact::State::kWaiting && c.queue == queue) + (c.copy == queue);
  }
  return n;
}

// An overflow rule acted on a waiting contact `c` of queue e.queue_id: a rule of that queue names
// the event's trigger, action and target; wait rules act in the order they fall due; a transfer
// or copy enters no queue holding its max_length.
void Fuzzer::OnOverflowEvent(const Event& e, LiveContact& c, const std::string& what) {
  using Action = OverflowRule::Action;
  QueueCount& q = queues_.at(e.queue_id);
  Check(c.queue == e.queue_id, what + ": names another queue than the contact's");
  Check(!c.callback, what + ": an overflow rule acted on a callback");
  // The time the customer chose, when it is answering (AnswerOverflow with callback_at).
  std::optional<absl::Time> answer_at;
  bool answering = false;  // the command answers this contact's offer (what follows is no rule's)
  if (command_ != nullptr) {
    if (const auto* answer = std::get_if<AnswerOverflow>(&command_->body);
        answer && answer->contact == e.contact_id && answer->accepted) {
      answering = true;
      if (answer->callback_at) {
        answer_at = absl::FromUnixMicros(absl::ToUnixMicros(*answer->callback_at));
      }
    }
  }
  // The rules of the queue that could have made this event.
  auto some_rule = [&](auto&& fits) {
    return std::any_of(q.config.overflow.begin(), q.config.overflow.end(), fits);
  };
  auto trigger_is = [&](const OverflowRule& r) {
    if (OverflowTriggerName(r.trigger) != e.reason) return false;
    if (r.trigger == OverflowRule::Trigger::kClosed && q.open) return false;
    // A wait rule fires once the contact has waited its wait in the queue.
    return r.trigger != OverflowRule::Trigger::kWait || e.time >= c.entered + r.wait;
  };
  auto ends_as = [&](const OverflowRule& r, Action action) {
    if (r.action != action) return false;
    if (!r.reason.empty()) return r.reason == e.reason;
    return trigger_is(r);
  };
  // Wait rules act one at a time in the order they fall due: by wait, then as listed (the
  // events that name the trigger wait; the earliest rule that could have made this one, after
  // the last known, keeps every later order possible).
  if (e.reason == "wait" && !answering) {
    auto could_make = [&](const OverflowRule& r) {
      if (r.trigger != OverflowRule::Trigger::kWait || e.time < c.entered + r.wait) return false;
      switch (e.type) {
        case EventType::kContactTransferred:
          return r.action == Action::kTransfer && r.target == e.target;
        case EventType::kContactCopied:
          return r.action == Action::kCopy && r.target == e.target;
        case EventType::kTransferLimitHit:
        case EventType::kTransferTargetFull:
          return (r.action == Action::kTransfer || r.action == Action::kCopy) &&
                 r.target == e.target;
        case EventType::kContactDeflected:
          return r.action == Action::kDeflect && r.target == e.target;
        case EventType::kContactVoicemail:
          return r.action == Action::kVoicemail && (r.reason.empty() || r.reason == e.reason);
        case EventType::kContactDisconnected:
          return r.action == Action::kDisconnect && (r.reason.empty() || r.reason == e.reason);
        default:
          return false;
      }
    };
    std::optional<std::pair<absl::Duration, size_t>> next;
    for (size_t i = 0; i < q.config.overflow.size(); ++i) {
      const OverflowRule& r = q.config.overflow[i];
      const std::pair<absl::Duration, size_t> key{r.wait, i};
      if (!could_make(r) || (c.last_wait && key <= *c.last_wait)) continue;
      if (!next || key < *next) next = key;
    }
    Check(next.has_value(),
          what + ": no wait rule of the queue that falls due after the last one that acted (" +
              (c.last_wait ? "rule " + std::to_string(c.last_wait->second) + ", " +
                                 absl::FormatDuration(c.last_wait->first)
                           : std::string("none")) +
              ") could make it (waited " + absl::FormatDuration(e.time - c.entered) + ")");
    c.last_wait = next;
  }
  // A transfer or copy fires into a queue below its max_length, and is reported full otherwise.
  if ((e.type == EventType::kContactTransferred && e.reason != "copy") ||
      e.type == EventType::kContactCopied || e.type == EventType::kTransferTargetFull) {
    const auto target = queues_.find(e.target);
    const int64_t max_length = target == queues_.end() ? 0 : target->second.config.max_length;
    const int64_t there = WaitingIn(e.target);
    const bool full = max_length > 0 && there >= max_length;
    Check(full == (e.type == EventType::kTransferTargetFull),
          what + ": " + Show(e.target) + " holds " + std::to_string(there) + " of max_length " +
              std::to_string(max_length));
  }
  switch (e.type) {
    case EventType::kOverflowOffered:
      Check(some_rule([&](const OverflowRule& r) {
              return r.ask && OverflowActionName(r.action) == e.reason && r.target == e.target;
            }),
            what + ": no rule of the queue asks that");
      c.asked = true;
      {
        bool scheduled = false, other = false;
        for (const OverflowRule& r : q.config.overflow) {
          if (!r.ask || OverflowActionName(r.action) != e.reason || r.target != e.target) continue;
          (r.action == Action::kCallback && r.callback.mode == CallbackPolicy::Mode::kScheduled
               ? scheduled
               : other) = true;
        }
        c.asked_scheduled.reset();
        if (scheduled != other) c.asked_scheduled = scheduled;
      }
      break;
    case EventType::kOverflowDeclined:
      Check(c.asked, what + ": declined, but nothing was asked");
      c.asked = false;
      break;
    case EventType::kContactCopied:
      Check(some_rule([&](const OverflowRule& r) {
              return r.action == Action::kCopy && r.target == e.target && trigger_is(r);
            }),
            what + ": no rule of the queue copies to " + Show(e.target) + " on " + Show(e.reason) +
                " (waited " + absl::FormatDuration(e.time - c.entered) + ")");
      Check(c.copy.empty(), what + ": a second copy");
      Check(c.transfers < options_.max_transfers,
            what + ": a copy past max_transfers (it would count as a transfer if it won)");
      Check(queues_.contains(e.target) && e.target != e.queue_id,
            what + ": copied to a queue never added, or to its own");
      c.copy = e.target;
      break;
    case EventType::kContactTransferred: {
      if (e.reason == "copy") {  // its copy was reached first
        Check(c.copy == e.target, what + ": the contact has no copy waiting in " + Show(e.target));
      } else {
        Check(some_rule([&](const OverflowRule& r) {
                return r.action == Action::kTransfer && r.target == e.target && trigger_is(r);
              }),
              what + ": no rule of the queue transfers to " + Show(e.target) + " on " +
                  Show(e.reason) + " (waited " + absl::FormatDuration(e.time - c.entered) + ")");
      }
      c.copy.clear();
      ++c.transfers;
      Check(c.transfers <= options_.max_transfers,
            what + ": transferred " + std::to_string(c.transfers) + " times, max_transfers " +
                std::to_string(options_.max_transfers));
      auto target = queues_.find(e.target);
      Check(target != queues_.end() && e.target != e.queue_id,
            what + ": transferred to a queue never added, or to its own");
      ++q.overflowed, ++q.transferred;
      ++target->second.entered;
      c.queue = e.target;
      c.entered = e.time;
      c.asked = false;
      c.last_wait.reset();  // the new queue's wait rules, from its entry
      break;
    }
    case EventType::kTransferLimitHit:
      Check(some_rule([&](const OverflowRule& r) {
              return (r.action == Action::kTransfer || r.action == Action::kCopy) &&
                     r.target == e.target && trigger_is(r);
            }),
            what + ": no rule of the queue transfers or copies there on that trigger");
      Check(c.transfers == options_.max_transfers,
            what + ": limit hit after " + std::to_string(c.transfers) + " transfers");
      break;
    case EventType::kTransferTargetFull: {
      Check(some_rule([&](const OverflowRule& r) {
              return (r.action == Action::kTransfer || r.action == Action::kCopy) &&
                     r.target == e.target && trigger_is(r);
            }),
            what + ": no rule of the queue transfers or copies there on that trigger");
      const auto target = queues_.find(e.target);
      Check(target != queues_.end() && target->second.config.max_length > 0,
            what + ": a target without max_length is never full");
      break;
    }
    case EventType::kContactDeflected:
      Check(some_rule([&](const OverflowRule& r) {
              return r.action == Action::kDeflect && r.target == e.target && trigger_is(r);
            }),
            what + ": no rule of the queue deflects there on that trigger");
      Check(e.outcome == ContactOutcome::kDeflected, what + ": without its outcome");
      ++q.overflowed, ++q.deflected;
      break;
    case EventType::kContactVoicemail:
      Check(some_rule([&](const OverflowRule& r) { return ends_as(r, Action::kVoicemail); }),
            what + ": no voicemail rule of the queue with that reason");
      Check(e.outcome == ContactOutcome::kVoicemail, what + ": without its outcome");
      ++q.overflowed, ++q.voicemail;
      break;
    case EventType::kContactDisconnected:
      Check(some_rule([&](const OverflowRule& r) { return ends_as(r, Action::kDisconnect); }),
            what + ": no disconnect rule of the queue with that reason");
      Check(e.outcome == ContactOutcome::kDisconnected, what + ": without its outcome");
      ++q.overflowed, ++q.disconnected;
      break;
    case EventType::kCallbackAccepted:
    case EventType::kCallbackScheduled: {
      const bool scheduled = e.type == EventType::kCallbackScheduled;
      Check(some_rule([&](const OverflowRule& r) {
              return r.action == Action::kCallback &&
                     (r.callback.mode == CallbackPolicy::Mode::kScheduled) == scheduled &&
                     (!scheduled || e.deadline == e.time + r.callback.after ||
                      (answer_at && e.deadline == *answer_at));
            }),
            what + ": no callback rule of the queue in that mode (and delay)");
      ++q.overflowed, ++q.callbacks;
      c.callback = true;
      c.asked = false;
      c.copy.clear();
      if (scheduled) c.state = LiveContact::State::kParked;
      break;
    }
    default:
      break;
  }
}

void Fuzzer::CheckState() const {
  const Engine& e = *engine_;
  const absl::Time now = e.now();
  if (std::optional<absl::Time> next = e.NextDeadline()) {
    Check(*next >= now, "NextDeadline " + absl::FormatTime(*next) + " is before now() " +
                            absl::FormatTime(now));
  }
  std::map<std::string, std::string> holder;  // contact -> agent, from GetAgentContacts
  std::map<std::string, std::set<std::string>> ringing;  // offered contact -> agents listing it
  for (const std::string& id : kAgents) {
    absl::StatusOr<AgentStats> stats = e.GetAgentStats(id);
    auto model = agents_.find(id);
    if (model == agents_.end()) {
      Check(!stats.ok(), "agent " + Show(id) + " was never added but has statistics");
      continue;
    }
    Check(stats.ok(), "agent " + Show(id) + " was added but has no statistics");
    const AgentStats& s = *stats;
    const std::string who = "agent " + Show(id) + ": ";
    Check(s.agent_id == id, who + "agent_id differs");
    Check(s.time_in_state >= absl::ZeroDuration(), who + "negative time in state");
    for (const absl::Duration& d : s.time_by_state) {
      Check(d >= absl::ZeroDuration(), who + "negative time by state");
    }
    Check(s.contacts_handled >= 0 && s.contacts_handled <= s.contacts_handled_total,
          who + "contacts handled out of range");
    Check(s.occupancy >= 0 && s.occupancy <= 1, who + "occupancy outside 0..1");
    absl::StatusOr<std::vector<ContactInfo>> held = e.GetAgentContacts(id);
    Check(held.ok(), who + "GetAgentContacts failed");
    std::array<int, kChannelCount> load{};
    int connected = 0;
    size_t wrapping = 0;  // the listing's wrap-ups (their contacts have ended or moved on)
    for (const ContactInfo& c : *held) {
      Check(c.agent == id, who + "holds contact " + Show(c.id) + " that names another agent");
      if (c.state == ContactState::kWrapUp) {
        Check(model->second.wraps.contains(c.id),
              who + "lists a wrap-up of " + Show(c.id) + " that did not start");
        ++wrapping;
        continue;
      }
      Check(c.state != ContactState::kWaiting, who + "holds a waiting contact " + Show(c.id));
      // The agent consulted about a contact lists it too (and holds a unit of its channel).
      const auto consult = consults_.find(c.id);
      const bool consulted = consult != consults_.end() && consult->second == id;
      if (consulted) {
        Check(c.state == ContactState::kConnected,
              who + "is consulted about " + Show(c.id) + " but does not list it as connected");
      }
      if (c.state == ContactState::kOffered) {  // a multi-offer rings at several
        ringing[c.id].insert(id);
      } else if (!consulted) {
        Check(holder.emplace(c.id, id).second, "contact " + Show(c.id) + " is with two agents");
      }
      Check(live_.contains(c.id), who + "holds contact " + Show(c.id) + " that is not live");
      if (c.state != ContactState::kOffered) ++connected;
      const int ch = static_cast<int>(c.channel);
      Check(ch >= 0 && ch < kChannelCount, who + "holds a contact on an invalid channel");
      ++load[ch];
    }
    for (const auto& [contact, channel] : model->second.wraps) ++load[static_cast<int>(channel)];
    Check(wrapping == model->second.wraps.size(),
          who + "lists " + std::to_string(wrapping) + " wrap-ups, the events say " +
              std::to_string(model->second.wraps.size()));
    const int active = static_cast<int>(held->size());
    Check(s.active_contacts == active,
          who + "active_contacts " + std::to_string(s.active_contacts) + ", expected " +
              std::to_string(active) + " (offered/connected + wrap-ups)");
    const CapacityConfig& cap = model->second.capacity;
    int cost = 0;
    for (int c = 0; c < kChannelCount; ++c) {
      Check(load[c] <= cap.limit[c] || model->second.over_capacity,
            who + "holds more contacts than its limit on channel " + std::to_string(c));
      cost += load[c] * cap.cost[c];
    }
    if (cap.model == CapacityConfig::Model::kCost && !model->second.over_capacity) {
      Check(cost <= cap.total, who + "uses more than its cost budget");
    }
    AgentState expected = s.state;
    if (connected > 0) {
      expected = AgentState::kBusy;
    } else if (!model->second.wraps.empty()) {
      expected = AgentState::kWrapUp;
    } else if (held->size() > wrapping) {
      expected = AgentState::kReserved;
    } else {
      Check(s.state == AgentState::kLoggedOut || s.state == AgentState::kNotReady ||
                s.state == AgentState::kAvailable,
            who + "holds nothing but is " + std::string(AgentStateName(s.state)));
    }
    Check(s.state == expected, who + "is " + std::string(AgentStateName(s.state)) +
                                   " but its contacts make it " +
                                   std::string(AgentStateName(expected)));
  }
  std::map<std::string, int64_t> waiting;
  for (const std::string& id : kContacts) {
    absl::StatusOr<ContactInfo> c = e.GetContact(id);
    auto model = live_.find(id);
    if (model == live_.end()) {
      Check(!c.ok(), "contact " + Show(id) + " has left (or never entered) but is in the engine");
      continue;
    }
    Check(c.ok(), "contact " + Show(id) + " has no outcome yet but is not in the engine");
    const LiveContact& m = model->second;
    Check(c->queue == m.queue, "contact " + Show(id) + " is in queue " + Show(c->queue) +
                                   ", the events say " + Show(m.queue));
    Check(c->arrival <= now, "contact " + Show(id) + " arrives after now()");
    using State = LiveContact::State;
    ContactState expected = ContactState::kWaiting;
    switch (m.state) {
      case State::kWaiting:
      case State::kParked:
        break;
      case State::kOffered:
        expected = ContactState::kOffered;
        break;
      case State::kConnected:
        expected =
            c->state == ContactState::kOnHold ? ContactState::kOnHold : ContactState::kConnected;
        break;
      case State::kDialing:
        expected = ContactState::kDialing;
        break;
    }
    Check(c->state == expected, "contact " + Show(id) + " is " +
                                    std::string(ContactStateName(c->state)) + ", the events say " +
                                    std::string(ContactStateName(expected)) +
                                    (m.state == State::kParked ? " (a parked callback)" : ""));
    if (c->state == ContactState::kWaiting) {
      Check(c->agent.empty(), "waiting contact " + Show(id) + " names an agent");
      if (m.state == State::kWaiting) ++waiting[c->queue];
      if (!m.copy.empty()) {
        Check(m.state == State::kWaiting, "contact " + Show(id) + " has a copy but is not waiting");
        ++waiting[m.copy];  // its copy waits there too
      }
    } else if (c->state == ContactState::kOffered) {
      const std::set<std::string>& at = ringing[id];
      Check(at.contains(c->agent) && static_cast<int>(at.size()) == m.rings,
            "contact " + Show(id) + " rings at agent " + Show(c->agent) + " and " +
                std::to_string(at.size()) + " agent(s) list it; the events say " +
                std::to_string(m.rings));
    } else {
      auto h = holder.find(id);
      Check(h != holder.end() && h->second == c->agent,
            "contact " + Show(id) + " is with agent " + Show(c->agent) +
                ", who does not list it among its contacts");
    }
  }
  for (const std::string& id : kQueues) {
    absl::StatusOr<QueueStats> stats = e.GetQueueStats(id);
    auto model = queues_.find(id);
    if (model == queues_.end()) {
      Check(!stats.ok(), "queue " + Show(id) + " was never added but has statistics");
      continue;
    }
    Check(stats.ok(), "queue " + Show(id) + " was added but has no statistics");
    const QueueStats& s = *stats;
    const QueueCount& n = model->second;
    const std::string which = "queue " + Show(id) + ": ";
    auto same = [&](const char* name, int64_t got, int64_t want) {
      Check(got == want, which + name + " is " + std::to_string(got) + ", the events say " +
                             std::to_string(want));
    };
    same("offered", s.offered, n.entered);
    same("rejected", s.rejected, n.rejected);
    same("answered", s.answered, n.answered);
    same("abandoned", s.abandoned, n.abandoned);
    same("removed", s.removed, n.removed);
    same("completed", s.completed, n.completed);
    same("offers", s.offers, n.offers);
    same("offers_missed", s.offers_missed, n.missed);
    same("waiting", s.waiting, waiting[id]);
    same("overflowed", s.overflowed, n.overflowed);
    same("transferred", s.transferred, n.transferred);
    same("callbacks", s.callbacks, n.callbacks);
    same("callbacks_connected", s.callbacks_connected, n.callbacks_connected);
    same("callbacks_failed", s.callbacks_failed, n.callbacks_failed);
    same("deflected", s.deflected, n.deflected);
    same("voicemail", s.voicemail, n.voicemail);
    same("disconnected", s.disconnected, n.disconnected);
    Check(s.open == n.open, which + "open is " + std::to_string(s.open) +
                                ", the opening and closing events say " + std::to_string(n.open));
    // Between themselves: every overflow leaves through one action; callbacks end once at most.
    Check(s.overflowed == s.transferred - n.moved + s.callbacks +
                              (s.deflected - n.deflected_at_entry) + s.voicemail + s.disconnected,
          which + "overflowed " + std::to_string(s.overflowed) +
              " != transferred (by rules) + callbacks + deflected (not at entry) + voicemail + "
              "disconnected");
    Check(s.callbacks >= s.callbacks_connected + s.callbacks_failed,
          which + "callbacks < callbacks_connected + callbacks_failed");
    Check(s.answered >= s.callbacks_connected, which + "connected callbacks not all answered");
    // Every contact that entered the queue has left it one way or another, or is still there.
    int64_t here = 0;
    for (const auto& [contact, live] : live_) here += live.queue == id && !live.orphaned ? 1 : 0;
    const int64_t left = s.rejected + s.completed + s.abandoned + s.removed + s.transferred +
                         s.deflected + s.voicemail + s.disconnected + s.callbacks_failed;
    Check(s.offered == left + here,
          which + "offered " + std::to_string(s.offered) + " != " + std::to_string(left) +
              " that left (rejected, completed, abandoned, removed, transferred, deflected, "
              "voicemail, disconnected, callbacks failed) + " +
              std::to_string(here) + " still in it");
    Check(s.answered_within_threshold >= 0 && s.answered_within_threshold <= s.answered,
          which + "answered within threshold out of range");
    Check(s.longest_wait >= absl::ZeroDuration(), which + "negative longest wait");
    Check(s.waiting > 0 || s.longest_wait == absl::ZeroDuration(),
          which + "a longest wait with nothing waiting");
    Check(s.asa >= absl::ZeroDuration(), which + "negative ASA");
    Check(s.service_level >= 0 && s.service_level <= 1, which + "service level outside 0..1");
  }
}

std::optional<size_t> Fuzzer::MatchEntryRule(const Attributes& attributes) const {
  for (size_t i = 0; i < entry_rules_.size(); ++i) {
    if (entry_rules_[i].when.Matches(attributes)) return i;
  }
  return std::nullopt;
}

bool Fuzzer::ValidEntryRules(const std::vector<EntryRule>& rules) const {
  if (rules.size() > kMaxEntryRules) return false;
  for (const EntryRule& rule : rules) {
    if (!ContactCondition::Parse(rule.when).ok()) return false;
    if (rule.queue.empty() && rule.deflect.empty()) return false;
    if (!rule.queue.empty() && !queues_.contains(rule.queue)) return false;
    if (rule.priority && (*rule.priority < -kMaxPriority || *rule.priority > kMaxPriority)) {
      return false;
    }
    if (rule.priority_class &&
        (*rule.priority_class < 0 || *rule.priority_class > kMaxPriorityClass)) {
      return false;
    }
    if (!CheckText("deflect", rule.deflect, kMaxTextBytes).ok()) return false;
    if (!rule.deflect.empty() && (rule.priority || rule.priority_class)) return false;
  }
  return true;
}

void Fuzzer::CheckPolicyCommand(const Command& command, const absl::Status& status,
                                const std::vector<Event>& events) {
  using State = LiveContact::State;
  const std::string name(CommandName(command.body));
  // Whether the checks every command goes through first (commands.h) pass.
  const bool begins =
      command.now >= kMinTime && command.now <= kMaxTime &&
      absl::ToUnixMicros(command.now) >= absl::ToUnixMicros(engine_->now()) &&
      static_cast<int>(command.actor.kind) <= static_cast<int>(Actor::Kind::kHost) &&
      CheckText("actor", command.actor.id, kMaxIdBytes).ok();
  auto events_of = [&](const std::string& contact, EventType type) {
    return std::count_if(events.begin(), events.end(),
                         [&](const Event& e) { return e.contact_id == contact && e.type == type; });
  };
  if (const auto* add = std::get_if<AddContact>(&command.body)) {
    const std::string& id = add->config.id;
    const int64_t entries = events_of(id, EventType::kContactQueued) +
                            events_of(id, EventType::kContactRejected) +
                            std::count_if(events.begin(), events.end(), [&](const Event& e) {
                              return e.contact_id == id && e.type == EventType::kContactDeflected &&
                                     e.reason == "entry_rule";
                            });
    Check(entries == (status.ok() ? 1 : 0), name + ": " + std::to_string(entries) +
                                                " entry events (queued, rejected, deflected at "
                                                "entry) for " +
                                                Show(id) + " from a command that returned " +
                                                status.ToString());
    if (!add->config.queue.empty()) {
      Check(events_of(id, EventType::kEntryRuleMatched) == 0,
            name + ": an entry rule placed a contact that names its queue");
      return;
    }
    const std::optional<size_t> rule = MatchEntryRule(add->config.attributes);
    if (!status.ok()) {
      Check(status.code() != absl::StatusCode::kFailedPrecondition || !rule,
            name + ": refused as matching no entry rule, but rules[" +
                std::to_string(rule.value_or(0)) + "] matches: " + status.ToString());
      return;
    }
    Check(rule.has_value(), name + ": accepted a contact that names no queue and meets no rule");
    const EntryRule& r = entry_rules_[*rule].rule;
    const auto matched = std::find_if(events.begin(), events.end(), [&](const Event& e) {
      return e.contact_id == id && e.type == EventType::kEntryRuleMatched;
    });
    Check(matched != events.end() &&
              matched->reason.starts_with("rules[" + std::to_string(*rule) + "]: ") &&
              matched->queue_id == r.queue,
          name + ": entry_rule_matched should name rules[" + std::to_string(*rule) +
              "] and queue " + Show(r.queue) +
              (matched == events.end()
                   ? std::string(", none seen")
                   : ", not " + Show(matched->reason, 80) + " and " + Show(matched->queue_id)));
    const bool deflected = std::any_of(events.begin(), events.end(), [&](const Event& e) {
      return e.contact_id == id && e.type == EventType::kContactDeflected &&
             e.reason == "entry_rule" && e.target == r.deflect && e.queue_id == r.queue;
    });
    Check(deflected == !r.deflect.empty(), name + ": deflection at entry as the rule says");
    if (r.deflect.empty() && events_of(id, EventType::kContactQueued) == 1) {
      const absl::StatusOr<ContactInfo> info = engine_->GetContact(id);
      if (info.ok()) {
        Check(info->priority == r.priority.value_or(add->config.priority) &&
                  info->priority_class == r.priority_class.value_or(add->config.priority_class),
              name + ": the contact's priority and class are not those of the entry rule");
      }
    }
  } else if (const auto* rules = std::get_if<SetEntryRules>(&command.body)) {
    if (begins) {
      Check(status.ok() == ValidEntryRules(rules->rules),
            name + ": returned " + status.ToString() + ", but the rules are " +
                (ValidEntryRules(rules->rules) ? "valid" : "not valid"));
    }
    if (status.ok()) {
      entry_rules_.clear();
      for (const EntryRule& rule : rules->rules) {
        entry_rules_.push_back({rule, *ContactCondition::Parse(rule.when)});
      }
    }
  } else if (const auto* answer = std::get_if<AnswerOverflow>(&command.body)) {
    auto it = live_.find(answer->contact);
    bool may = it != live_.end() && it->second.asked && it->second.state == State::kWaiting;
    bool known = true;  // whether the checker knows `may` for sure
    if (answer->callback_at && may) {
      // Only for a scheduled callback, from the command's time to the last the engine accepts.
      const bool in_range = *answer->callback_at >= command.now && *answer->callback_at <= kMaxTime;
      known = it->second.asked_scheduled.has_value();
      may = in_range && it->second.asked_scheduled.value_or(true);
    }
    Check(!status.ok() || may, name +
                                   ": accepted for a contact that was asked nothing, or is "
                                   "not waiting, or with a callback_at it cannot have");
    if (begins && known) {
      Check(status.ok() || !may,
            name + ": refused for a waiting contact that was asked: " + status.ToString());
    }
    if (status.ok()) {
      const std::string& id = answer->contact;
      const int64_t answered = answer->accepted ? events_of(id, EventType::kCallbackAccepted) +
                                                      events_of(id, EventType::kCallbackScheduled) +
                                                      events_of(id, EventType::kContactDeflected)
                                                : events_of(id, EventType::kOverflowDeclined);
      Check(answered == 1, name + ": no event says what the answer did");
    }
  } else if (const auto* report = std::get_if<ReportCallback>(&command.body)) {
    auto it = live_.find(report->contact);
    const bool may = it != live_.end() && it->second.state == State::kDialing &&
                     report->result <= CallbackResult::kBusy;
    Check(!status.ok() || may, name + ": accepted for a contact that is not dialing");
    if (begins) {
      Check(status.ok() || !may, name + ": refused for a dialing contact: " + status.ToString());
    }
    if (status.ok()) {
      const std::string& id = report->contact;
      const int64_t reported = report->result == CallbackResult::kConnected
                                   ? events_of(id, EventType::kCallbackConnected)
                                   : events_of(id, EventType::kCallbackAttemptFailed) +
                                         events_of(id, EventType::kCallbackFailed);
      Check(reported == 1, name + ": no event says what the dial attempt did");
    }
  }
}

void Fuzzer::Step() {
  const Command command = NextCommand();
  const uint8_t flags = in_.Byte();
  const bool shorthand = (flags & 1) != 0;
  const absl::Time before_now = engine_->now();
  // A refused command first fires what fell due by its time: with nothing due, it must change
  // nothing at all.
  const std::optional<absl::Time> due = engine_->NextDeadline();
  const bool nothing_due = !due.has_value() || *due > command.now;
  const std::string before = nothing_due ? Observe() : std::string();

  const absl::Status status = Apply(command, shorthand);
  recent_.push_back(Describe(command) + (shorthand ? " (shorthand)" : "") + " -> " +
                    (status.ok() ? std::string("OK") : status.ToString()));
  if (trace_) std::fprintf(stderr, "%s\n", recent_.back().c_str());
  if (recent_.size() > 12) recent_.pop_front();

  if (status.ok()) {
    CheckAccepted(command);
    if (const auto* add = std::get_if<AddContact>(&command.body)) {
      Check(!live_.contains(add->config.id) || !nothing_due,
            "AddContact accepted an id already in the engine");
    } else if (const auto* add_agent = std::get_if<AddAgent>(&command.body)) {
      Check(agents_.emplace(add_agent->config.id, AgentModel{add_agent->config.capacity, {}})
                .second,
            "AddAgent accepted a duplicate id");
    } else if (const auto* add_queue = std::get_if<AddQueue>(&command.body)) {
      Check(queues_.emplace(add_queue->config.id, QueueCount{.config = add_queue->config}).second,
            "AddQueue accepted a duplicate id");
      any_hours_ |= add_queue->config.hours.has_value();
    }
  } else {
    Check(!status.message().empty(), "a refusal without a message");
  }
  const std::vector<Event> events = engine_->DrainEvents();
  // Against the checker's account before the command's events (none of a timer's, when nothing
  // was due).
  if (nothing_due || std::holds_alternative<AddContact>(command.body) ||
      std::holds_alternative<SetEntryRules>(command.body)) {
    CheckPolicyCommand(command, status, events);
  }
  command_ = &command;
  OnEvents(events, !status.ok());
  command_ = nullptr;
  for (const std::string& queue : removed_queues_) {
    for (auto& [id, live] : live_) {
      if (live.queue != queue) continue;
      Check(live.state == LiveContact::State::kConnected,
            "contact " + Show(id) + " still waits in removed queue " + Show(queue));
      live.orphaned = true;
    }
    queues_.erase(queue);
  }
  removed_queues_.clear();
  if (!status.ok() && engine_->now() == before_now && nothing_due) {
    Check(events.empty(), "a refused command emitted events with nothing due");
    const std::string after = Observe();
    if (after != before) {
      Fail("a refused command changed what the engine shows:\n--- before\n" + before +
           "--- after\n" + after);
    }
  }
  for (auto& [id, agent] : agents_) {
    if (!agent.over_capacity || !agent.wraps.empty()) continue;
    absl::StatusOr<std::vector<ContactInfo>> held = engine_->GetAgentContacts(id);
    if (held.ok() && held->empty()) agent.over_capacity = false;
  }
  CheckState();
  const absl::Time now = engine_->now();
  if (now != absl::InfinitePast() && now != absl::InfiniteFuture()) host_now_ = now;
}

// An accepted command's values are within the documented ranges (queue.h, contact.h, agent.h,
// commands.h).
void Fuzzer::CheckAccepted(const Command& command) const {
  if (const auto* add = std::get_if<AddQueue>(&command.body)) {
    const QueueConfig& q = add->config;
    const auto mode = static_cast<int>(q.wrap_up.mode);
    Check(mode >= 0 && mode <= static_cast<int>(WrapUpPolicy::Mode::kTimedWithExtension),
          "AddQueue accepted wrap-up mode " + std::to_string(mode) + ", not a WrapUpPolicy::Mode");
    if (q.wrap_up.mode == WrapUpPolicy::Mode::kTimed ||
        q.wrap_up.mode == WrapUpPolicy::Mode::kTimedWithExtension) {
      Check(q.wrap_up.duration > absl::ZeroDuration(),
            "AddQueue accepted a timed wrap-up of " + absl::FormatDuration(q.wrap_up.duration));
    }
    Check(static_cast<int>(q.strategy) < kStrategyCount,
          "AddQueue accepted strategy " + std::to_string(static_cast<int>(q.strategy)));
    Check(q.max_length >= 0, "AddQueue accepted a negative max_length");
    for (size_t i = 0; i < q.steps.size(); ++i) {
      const absl::Duration floor = i == 0 ? absl::ZeroDuration() : q.steps[i - 1].after;
      Check(q.steps[i].after > floor, "AddQueue accepted steps out of order, or one at 0");
    }
    // Overflow rules and opening hours (queue.h, opening_hours.h).
    using Trigger = OverflowRule::Trigger;
    using Action = OverflowRule::Action;
    Check(q.overflow.size() <= kMaxOverflowRules, "AddQueue accepted too many overflow rules");
    for (const OverflowRule& r : q.overflow) {
      const std::string rule = "AddQueue accepted overflow rule [" + DescribeRule(r) + "]: ";
      Check(r.trigger <= Trigger::kClosed && r.action <= Action::kCopy,
            rule + "trigger or action out of range");
      Check(r.trigger != Trigger::kClosed || q.hours.has_value(), rule + "closed without hours");
      if (r.trigger == Trigger::kWait) {
        Check(r.wait > absl::ZeroDuration() && r.wait <= kMaxDuration, rule + "wait out of range");
      }
      if (r.trigger == Trigger::kEstimatedWait) {
        Check(r.wait >= absl::ZeroDuration() && r.wait <= kMaxDuration, rule + "wait out of range");
      }
      Check(r.queue_length >= 0, rule + "negative queue_length");
      if (r.action == Action::kTransfer || r.action == Action::kCopy) {
        Check(r.target != q.id && queues_.contains(r.target),
              rule + "a transfer to itself or to a queue not added before");
      } else if (r.action == Action::kDeflect) {
        Check(!r.target.empty() && CheckText("target", r.target, kMaxTextBytes).ok(),
              rule + "a deflection without a target that is text");
      } else {
        Check(r.target.empty(), rule + "a target where none belongs");
      }
      Check(!r.look_ahead || r.action == Action::kTransfer, rule + "look_ahead not on a transfer");
      Check(!r.ask || r.action == Action::kCallback || r.action == Action::kDeflect,
            rule + "ask on an action that cannot ask");
      Check(CheckText("reason", r.reason, kMaxTextBytes).ok(), rule + "reason not text");
      const CallbackPolicy& cb = r.callback;
      Check(cb.mode <= CallbackPolicy::Mode::kScheduled, rule + "callback mode out of range");
      if (r.action == Action::kCallback && cb.mode == CallbackPolicy::Mode::kScheduled) {
        Check(cb.after > absl::ZeroDuration() && cb.after <= kMaxDuration,
              rule + "scheduled callback after out of range");
      }
      Check(cb.retries >= 0 && cb.retries <= kMaxCallbackRetries, rule + "retries out of range");
      Check(cb.retry_after > absl::ZeroDuration() && cb.retry_after <= kMaxDuration,
            rule + "retry_after out of range");
      Check(cb.priority >= -kMaxPriority && cb.priority <= kMaxPriority,
            rule + "callback priority out of range");
    }
    if (q.hours) {
      Check(OpeningSchedule::Create(*q.hours).ok(),
            "AddQueue accepted hours that OpeningSchedule::Create refuses: " +
                DescribeHours(*q.hours));
    }
  } else if (const auto* contact = std::get_if<AddContact>(&command.body)) {
    const ContactConfig& c = contact->config;
    Check(static_cast<int>(c.channel) < kChannelCount,
          "AddContact accepted channel " + std::to_string(static_cast<int>(c.channel)));
    Check(c.priority >= -1000 && c.priority <= 1000, "AddContact accepted priority " +
                                                         std::to_string(c.priority));
    Check(c.priority_class >= 0 && c.priority_class <= 255,
          "AddContact accepted priority class " + std::to_string(c.priority_class));
    Check(!c.arrival || *c.arrival <= command.now, "AddContact accepted an arrival after now");
  } else if (const auto* agent = std::get_if<AddAgent>(&command.body)) {
    const AgentConfig& a = agent->config;
    Check(a.weight > 0 && a.weight <= kMaxAgentWeight,
          "AddAgent accepted weight " + std::to_string(a.weight));
    for (const auto& [skill, level] : a.skills) {
      Check(level >= 1 && level <= 100, "AddAgent accepted skill level " + std::to_string(level));
    }
  } else if (const auto* extend = std::get_if<ExtendWrapUp>(&command.body)) {
    Check(extend->extension > absl::ZeroDuration(), "ExtendWrapUp accepted a non-positive extension");
  }
}

// Ends all work: every live contact must then have left with its outcome, and nothing must
// remain due.
void Fuzzer::Drain() {
  Engine& e = *engine_;
  const absl::Time t = e.now();
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return;
  recent_.push_back("-- final drain at " + absl::FormatTime(t));
  for (int round = 0; round < 4 && !live_.empty(); ++round) {
    const std::map<std::string, LiveContact> live = live_;
    for (const auto& [id, contact] : live) {
      // What fell due at this very time first (the no_agents rules of a queue whose last agent
      // just logged out are due at the time of the logout).
      Check(e.AdvanceTo(t).ok(), "drain: advancing to the drain's time");
      OnEvents(e.DrainEvents(), false);
      if (!live_.contains(id)) continue;
      absl::StatusOr<ContactInfo> c = e.GetContact(id);
      Check(c.ok(), "live contact " + Show(id) + " not found in the drain");
      absl::Status status;
      if (consults_.contains(id)) {  // completing it is refused while a consult is open
        status = e.Execute(Command{t, Actor::Host(), CancelConsult{c->agent, id}});
        Check(status.ok(), "drain: cancelling the consult about " + Show(id) + ": " +
                               status.ToString());
        OnEvents(e.DrainEvents(), false);
      }
      if (c->state == ContactState::kWaiting || c->state == ContactState::kOffered) {
        status = e.Abandon(t, id);  // a parked callback too
      } else if (c->state == ContactState::kDialing) {
        status = e.ReportCallback(t, id, CallbackResult::kConnected);  // completed next round
      } else {
        status = e.Complete(t, c->agent, id);
      }
      Check(status.ok(), "drain: ending contact " + Show(id) + " in state " +
                             std::string(ContactStateName(c->state)) + ": " + status.ToString());
      OnEvents(e.DrainEvents(), false);
    }
  }
  Check(live_.empty(), "contacts without an outcome after the drain");
  for (const auto& [id, agent] : agents_) {
    if (!agent.wraps.empty()) {
      const absl::Status status = e.EndWrapUp(t, id);
      Check(status.ok(), "drain: ending the wrap-ups of " + Show(id) + ": " + status.ToString());
      OnEvents(e.DrainEvents(), false);
    }
    absl::StatusOr<AgentStats> s = e.GetAgentStats(id);
    if (s.ok() && s->state != AgentState::kLoggedOut) {
      const absl::Status status = e.Logout(t, id);
      Check(status.ok(), "drain: logging out " + Show(id) + ", who holds nothing: " +
                             status.ToString());
      OnEvents(e.DrainEvents(), false);
    }
  }
  CheckState();
  if (t < absl::FromUnixSeconds(253402300799) - absl::Hours(48)) {
    if (e.AdvanceTo(t + absl::Hours(24)).ok()) {
      OnEvents(e.DrainEvents(), false);
      // Only opening hours remain: each deadline opens or closes a queue, and nothing else.
      for (int change = 0; change < 8; ++change) {
        const std::optional<absl::Time> next = e.NextDeadline();
        if (!next) break;
        Check(any_hours_, "a deadline remains with nothing in the engine");
        Check(e.AdvanceTo(*next).ok(), "drain: advancing to the next opening-hours change");
        const std::vector<Event> events = e.DrainEvents();
        Check(!events.empty() && std::all_of(events.begin(), events.end(),
                                             [](const Event& ev) {
                                               return ev.type == EventType::kQueueOpened ||
                                                      ev.type == EventType::kQueueClosed;
                                             }),
              "a deadline with nothing in the engine did something other than open or close a "
              "queue");
        OnEvents(events, false);
        CheckState();
      }
    }
  }
}

void Fuzzer::Run() {
  const EngineOptions options = Options();
  absl::StatusOr<Engine> engine = Engine::Create(options);
  // Invalid options give no engine at all, with ValidateOptions' reason.
  if (!engine.ok()) {
    Check(engine.status() == ValidateOptions(options) &&
              engine.status().code() == absl::StatusCode::kInvalidArgument,
          "Create refused options with another status than ValidateOptions'");
    return;
  }
  Check(ValidateOptions(options).ok(), "Create accepted options that ValidateOptions refuses");
  engine_.emplace(*std::move(engine));
  options_ = options;
  for (int i = 0; i < kMaxCommands && !in_.Empty(); ++i) Step();
  Drain();
}

}  // namespace
}  // namespace switchboard

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  switchboard::Fuzzer(data, size).Run();
  return 0;
}
