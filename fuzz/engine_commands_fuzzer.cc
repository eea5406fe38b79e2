// Fuzzes the engine through its public API: the bytes are decoded into a sequence of commands
// (queues, agents and contacts from small pools of ids, including empty, over-long and invalid
// UTF-8 ones; every agent and contact command; times that stay, step, jump to the next deadline,
// go backwards or land near the ends of absl::Time and int64 microseconds), each applied through
// Engine::Execute or its shorthand. After every command a light checker (public headers only)
// asserts:
//  1. a refused command with nothing due by its time emits no events and changes nothing
//     observable (GetContact, GetAgentStats, GetAgentContacts, GetQueueStats of every id in the
//     pools, NextDeadline); otherwise it emits only the timers' events (actor system); an
//     accepted command's values are within their documented ranges;
//  2. events are numbered 1, 2, 3, ... with non-decreasing times no later than now();
//  3. every contact added leaves with exactly one outcome event, and is in the engine exactly
//     between its AddContact and that event (checked after a final drain that ends all work);
//  4. NextDeadline is never before now(); nothing remains due once everything has ended;
//  5. statistics are non-negative, queue counters equal a recount from the events, an agent's
//     active contacts are its offered and connected contacts plus its wrap-ups, its state agrees
//     with them, no contact is with two agents, and no agent holds more than its capacity.
// tests/invariants_test.cc checks far more (routing order, work conservation, ...) from a model
// of a fixed scenario; this checker stays independent of any model so that arbitrary, mostly
// invalid, commands can be thrown at the engine.
//
// Input layout: one byte of engine options, then per command: op, time, flags, and the operands
// that op reads (see Fuzzer::Step). Missing bytes read as 0.
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
#include "absl/time/time.h"
#include "switchboard/actor.h"
#include "switchboard/agent.h"
#include "switchboard/capacity.h"
#include "switchboard/channel.h"
#include "switchboard/commands.h"
#include "switchboard/contact.h"
#include "switchboard/engine.h"
#include "switchboard/events.h"
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

std::string Describe(const Command& command) {
  std::ostringstream out;
  out << absl::FormatTime(command.now) << " " << CommandName(command.body) << " actor="
      << Show(ActorName(command.actor));
  std::visit(
      [&](const auto& b) {
        using B = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<B, AddQueue>) {
          out << " queue=" << Show(b.config.id) << " requirement=" << Show(b.config.requirement);
        } else if constexpr (std::is_same_v<B, AddAgent>) {
          out << " agent=" << Show(b.config.id);
        } else if constexpr (std::is_same_v<B, AddContact>) {
          out << " contact=" << Show(b.config.id) << " queue=" << Show(b.config.queue)
              << " channel=" << static_cast<int>(b.config.channel);
          if (b.config.arrival) out << " arrival=" << absl::FormatTime(*b.config.arrival);
        } else if constexpr (std::is_same_v<B, AbandonContact>) {
          out << " contact=" << Show(b.contact);
        } else if constexpr (std::is_same_v<B, RemoveContact>) {
          out << " contact=" << Show(b.contact) << " reason=" << Show(b.reason);
        } else if constexpr (std::is_same_v<B, Advance>) {
        } else if constexpr (std::is_same_v<B, Login> || std::is_same_v<B, Logout> ||
                             std::is_same_v<B, SetReady> || std::is_same_v<B, SetNotReady>) {
          out << " agent=" << Show(b.agent);
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
    std::map<std::string, Channel> wraps;  // contact -> channel, from the wrap-up events
  };
  struct QueueCount {
    int64_t entered = 0, rejected = 0, answered = 0, abandoned = 0, removed = 0, completed = 0,
            offers = 0, missed = 0;
  };

  [[noreturn]] void Fail(const std::string& what) const;
  void Check(bool condition, const std::string& what) const {
    if (!condition) Fail(what);
  }
  EngineOptions Options();
  absl::Time NextTime();
  absl::Time DrawTime();
  Actor NextActor(const std::string& agent);
  Command NextCommand();
  absl::Status Apply(const Command& command, bool shorthand);
  void Step();
  void CheckAccepted(const Command& command) const;
  std::string Observe() const;
  void OnEvents(const std::vector<Event>& events, bool refused);
  void CheckState() const;
  void Drain();

  Reader in_;
  std::optional<Engine> engine_;
  absl::Time host_now_ = absl::FromUnixSeconds(1'700'000'000);
  uint64_t last_sequence_ = 0;
  absl::Time last_event_time_ = absl::InfinitePast();
  std::map<std::string, std::string> live_;  // contact -> queue: added and without an outcome
  std::map<std::string, AgentModel> agents_;
  std::map<std::string, QueueCount> queues_;
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

Command Fuzzer::NextCommand() {
  const uint8_t op = in_.Byte() % 17;
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
    default: command.body = Advance{}; break;
  }
  return command;
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
        if constexpr (std::is_same_v<B, Advance>) return e.AdvanceTo(t);
      },
      command.body);
}

std::string ContactText(const ContactInfo& c) {
  std::ostringstream out;
  out << Show(c.id) << " queue=" << Show(c.queue) << " channel=" << static_cast<int>(c.channel)
      << " state=" << ContactStateName(c.state) << " agent=" << Show(c.agent)
      << " arrival=" << absl::FormatTime(c.arrival) << " priority=" << c.priority << "/"
      << c.priority_class << " attributes=" << c.attributes.size();
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
        << " asa=" << absl::FormatDuration(q->asa) << "\n";
  }
  return out.str();
}

void Fuzzer::OnEvents(const std::vector<Event>& events, bool refused) {
  const absl::Time now = engine_->now();
  for (const Event& e : events) {
    if (trace_) std::fprintf(stderr, "  %s\n", Show(FormatEvent(e), 400).c_str());
    const std::string what = "event #" + std::to_string(e.sequence) + " " +
                             std::string(EventTypeName(e.type)) + " contact=" +
                             Show(e.contact_id) + " agent=" + Show(e.agent_id);
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
    switch (e.type) {
      case EventType::kContactQueued:
        Check(live_.contains(e.contact_id), what + ": queued, but not added");
        if (q) ++q->entered;
        break;
      case EventType::kContactRejected:
        if (q) ++q->entered, ++q->rejected;
        break;
      case EventType::kContactOffered:
        Check(e.deadline >= e.time, what + ": offer deadline before the offer");
        if (q) ++q->offers;
        break;
      case EventType::kOfferAccepted:
        if (q) ++q->answered;
        break;
      case EventType::kOfferRejected:
      case EventType::kOfferTimedOut:
        if (q) ++q->missed;
        break;
      case EventType::kContactAbandoned:
        if (q) ++q->abandoned;
        break;
      case EventType::kContactRemoved:
        if (q) ++q->removed;
        break;
      case EventType::kContactCompleted:
        if (q) ++q->completed;
        break;
      case EventType::kWrapUpStarted: {
        auto a = agents_.find(e.agent_id);
        Check(a != agents_.end(), what + ": wrap-up of an agent never added");
        Check(a->second.wraps.emplace(e.contact_id, e.channel).second,
              what + ": a second wrap-up of the same contact");
        break;
      }
      case EventType::kWrapUpEnded: {
        auto a = agents_.find(e.agent_id);
        Check(a != agents_.end() && a->second.wraps.erase(e.contact_id) == 1,
              what + ": end of a wrap-up that had not started");
        break;
      }
      default:
        break;
    }
    if (e.outcome != ContactOutcome::kNone) {
      auto it = live_.find(e.contact_id);
      Check(it != live_.end(), what + ": outcome for a contact not in the engine (a second one?)");
      Check(it->second == e.queue_id, what + ": outcome names another queue");
      live_.erase(it);
    }
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
    for (const ContactInfo& c : *held) {
      Check(c.agent == id, who + "holds contact " + Show(c.id) + " that names another agent");
      Check(c.state != ContactState::kWaiting, who + "holds a waiting contact " + Show(c.id));
      Check(holder.emplace(c.id, id).second, "contact " + Show(c.id) + " is with two agents");
      Check(live_.contains(c.id), who + "holds contact " + Show(c.id) + " that is not live");
      if (c.state != ContactState::kOffered) ++connected;
      const int ch = static_cast<int>(c.channel);
      Check(ch >= 0 && ch < kChannelCount, who + "holds a contact on an invalid channel");
      ++load[ch];
    }
    for (const auto& [contact, channel] : model->second.wraps) ++load[static_cast<int>(channel)];
    const int active = static_cast<int>(held->size() + model->second.wraps.size());
    Check(s.active_contacts == active,
          who + "active_contacts " + std::to_string(s.active_contacts) + ", expected " +
              std::to_string(active) + " (offered/connected + wrap-ups)");
    const CapacityConfig& cap = model->second.capacity;
    int cost = 0;
    for (int c = 0; c < kChannelCount; ++c) {
      Check(load[c] <= cap.limit[c], who + "holds more contacts than its limit on channel " +
                                         std::to_string(c));
      cost += load[c] * cap.cost[c];
    }
    if (cap.model == CapacityConfig::Model::kCost) {
      Check(cost <= cap.total, who + "uses more than its cost budget");
    }
    AgentState expected = s.state;
    if (connected > 0) {
      expected = AgentState::kBusy;
    } else if (!model->second.wraps.empty()) {
      expected = AgentState::kWrapUp;
    } else if (!held->empty()) {
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
    Check(c->queue == model->second, "contact " + Show(id) + " changed queue");
    Check(c->arrival <= now, "contact " + Show(id) + " arrives after now()");
    if (c->state == ContactState::kWaiting) {
      Check(c->agent.empty(), "waiting contact " + Show(id) + " names an agent");
      ++waiting[c->queue];
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
    Check(s.answered_within_threshold >= 0 && s.answered_within_threshold <= s.answered,
          which + "answered within threshold out of range");
    Check(s.longest_wait >= absl::ZeroDuration(), which + "negative longest wait");
    Check(s.waiting > 0 || s.longest_wait == absl::ZeroDuration(),
          which + "a longest wait with nothing waiting");
    Check(s.asa >= absl::ZeroDuration(), which + "negative ASA");
    Check(s.service_level >= 0 && s.service_level <= 1, which + "service level outside 0..1");
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
      Check(live_.emplace(add->config.id, add->config.queue).second,
            "AddContact accepted an id already in the engine");
    } else if (const auto* add_agent = std::get_if<AddAgent>(&command.body)) {
      Check(agents_.emplace(add_agent->config.id, AgentModel{add_agent->config.capacity, {}})
                .second,
            "AddAgent accepted a duplicate id");
    } else if (const auto* add_queue = std::get_if<AddQueue>(&command.body)) {
      Check(queues_.emplace(add_queue->config.id, QueueCount{}).second,
            "AddQueue accepted a duplicate id");
    }
  } else {
    Check(!status.message().empty(), "a refusal without a message");
  }
  const std::vector<Event> events = engine_->DrainEvents();
  OnEvents(events, !status.ok());
  if (!status.ok() && engine_->now() == before_now && nothing_due) {
    Check(events.empty(), "a refused command emitted events with nothing due");
    const std::string after = Observe();
    if (after != before) {
      Fail("a refused command changed what the engine shows:\n--- before\n" + before +
           "--- after\n" + after);
    }
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
    const std::map<std::string, std::string> live = live_;
    for (const auto& [id, queue] : live) {
      absl::StatusOr<ContactInfo> c = e.GetContact(id);
      Check(c.ok(), "live contact " + Show(id) + " not found in the drain");
      absl::Status status;
      if (c->state == ContactState::kWaiting || c->state == ContactState::kOffered) {
        status = e.Abandon(t, id);
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
      Check(!e.NextDeadline().has_value(), "a deadline remains with nothing in the engine");
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
  for (int i = 0; i < kMaxCommands && !in_.Empty(); ++i) Step();
  Drain();
}

}  // namespace
}  // namespace switchboard

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  switchboard::Fuzzer(data, size).Run();
  return 0;
}
