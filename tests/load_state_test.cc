// Engine::LoadState: the inverse of DumpState. A loaded engine dumps the same text, and (the
// strong check) goes on exactly as the engine that wrote the dump: the same further commands give
// the same results, events and dumps. Bad text gives a clean error.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "center.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

using testing::Center;
using testing::Skilled;

// Opening hours that change every few minutes of the sequences below, which start on Tuesday
// 2023-11-14 at 22:13:20 UTC (testing::kStart): 17:13 in New York, where Wednesday is a closed
// date and Thursday has its own hours.
OpeningHours NewYorkHours() {
  OpeningHours hours{.zone = "America/New_York"};
  auto at = [](int hour, int minute) { return hour * 60 + minute; };
  hours.weekly[1] = {{at(17, 22), at(17, 30)}, {at(17, 15), at(17, 19)}, {at(17, 34), at(17, 37)},
                     {at(17, 41), at(17, 50)}, {at(17, 55), at(18, 30)}};
  hours.weekly[2] = {{at(0, 0), at(24, 0)}};
  hours.weekly[3] = {{at(8, 0), at(18, 0)}};
  hours.closed_on = {absl::CivilDay(2023, 11, 15)};
  hours.overrides = {{.day = absl::CivilDay(2023, 11, 16), .ranges = {{at(9, 0), at(12, 0)}}}};
  return hours;
}

// The same minutes seen from Tokyo: Wednesday 07:13, a date with its own hours; Thursday is
// closed every week and Friday is a closed date, so the next opening after today's is Saturday.
OpeningHours TokyoHours() {
  OpeningHours hours{.zone = "Asia/Tokyo"};
  auto at = [](int hour, int minute) { return hour * 60 + minute; };
  hours.weekly[2] = {{at(9, 0), at(17, 0)}};
  hours.weekly[5] = {{at(10, 0), at(14, 0)}};
  hours.closed_on = {absl::CivilDay(2023, 11, 17)};
  hours.overrides = {{.day = absl::CivilDay(2023, 11, 15),
                      .ranges = {{at(7, 14), at(7, 18)}, {at(7, 21), at(7, 27)},
                                 {at(7, 31), at(7, 44)}, {at(7, 48), at(8, 0)}}}};
  return hours;
}

// The center of state_dump_test.cc, and more: requirement steps, an overflow rule, a reserve, a
// multi-offer random queue, a round-robin and a least-occupied queue, queues with opening hours
// (one whose closed rule transfers to support, one whose closed rule disconnects), agents with
// capacity for chat, entry rules.
void RichCenter(Center& c) {
  c.Queue({.id = "support",
           .requirement = "english >= 1",
           .wrap_up = {.mode = WrapUpPolicy::Mode::kTimed, .duration = absl::Seconds(10)},
           .steps = {{.after = absl::Seconds(30), .requirement = ""}},
           .reserve = ReservePolicy{.activate_wait = absl::Seconds(20)}});
  c.Queue({.id = "sales",
           .strategy = Strategy::kRandom,
           .ring_agents = 2,
           .overflow = {{.trigger = OverflowRule::Trigger::kWait,
                         .wait = absl::Seconds(45),
                         .action = OverflowRule::Action::kTransfer,
                         .target = "support"}}});
  c.Queue({.id = "vip",
           .strategy = Strategy::kRoundRobin,
           .wrap_up = {.mode = WrapUpPolicy::Mode::kUntilAgentEnds},
           .overflow = {{.trigger = OverflowRule::Trigger::kWait,
                         .wait = absl::Seconds(20),
                         .action = OverflowRule::Action::kCallback,
                         .ask = false}}});
  c.Queue({.id = "care", .requirement = "english >= 2", .strategy = Strategy::kLeastOccupied});
  c.Queue({.id = "night",
           .requirement = "english >= 1",
           .overflow = {{.trigger = OverflowRule::Trigger::kClosed,
                         .action = OverflowRule::Action::kTransfer,
                         .target = "support"}},
           .hours = NewYorkHours()});
  c.Queue({.id = "tokyo",
           .overflow = {{.trigger = OverflowRule::Trigger::kClosed,
                         .action = OverflowRule::Action::kDisconnect,
                         .reason = "closed"}},
           .hours = TokyoHours()});
  AgentConfig a1 = Skilled("a1", {{"english", 5}});
  a1.capacity.Allow(Channel::kChat, 2);
  a1.attributes = {{"site", std::string("lyon \"east\"\n")}, {"tenure", 2.5}};
  c.Agent(a1);
  c.Agent(Skilled("a2", {{"english", 3}}));
  AgentConfig a3 = Skilled("a3", {});
  a3.weight = 2.5;
  a3.team = "blue";
  c.Agent(a3);
  AgentConfig backup = Skilled("backup", {{"english", 1}});
  backup.auto_membership = false;
  backup.queues = {{.queue = "support", .reserve = true}};
  c.Agent(backup);
  c.Agent(Skilled("a5", {{"english", 2}}), /*login=*/false);
  REQUIRE(c.engine
              .SetEntryRules(c.now, {{.when = "tier == \"gold\"", .queue = "vip", .priority = 2}})
              .ok());
  c.Contact({.id = "s1", .queue = "support", .attributes = {{"tier", std::string("gold")}}});
  c.Contact({.id = "chat1", .channel = Channel::kChat, .queue = "support"});
  c.Drain();
}

// Draws commands at random over a fixed cast (their errors are part of what is compared) and
// applies the same ones to several engines.
class Driver {
 public:
  explicit Driver(uint64_t seed) : rng_(seed) {}

  // One command at a time later than the last (or at the same time), applied to every engine;
  // returns a text of its result and events per engine.
  std::vector<std::string> Step(std::vector<Engine*> engines) {
    now_ += absl::Seconds(Draw(4) == 0 ? 0 : Draw(16));
    const int kind = Draw(15);
    const std::string agent = kAgents[Draw(kAgents.size())];
    const std::string contact = contacts_.empty() ? "none" : contacts_[Draw(contacts_.size())];
    const int priority = Draw(5) - 1;
    const bool chat = Draw(3) == 0;
    const std::string queue = kQueues[Draw(kQueues.size())];
    const bool gold = Draw(4) == 0;
    const bool after_contacts = Draw(2) == 0;
    std::string id;
    if (kind == 0 || kind == 1) id = "c" + std::to_string(contacts_.size());
    std::vector<std::string> results;
    for (Engine* engine : engines) {
      absl::Status status;
      switch (kind) {
        case 0:
        case 1: {
          ContactConfig config{.id = id, .queue = queue, .priority = priority};
          if (chat) config.channel = Channel::kChat;
          if (gold) config.attributes = {{"tier", std::string("gold")}};
          status = engine->AddContact(now_, config);
          break;
        }
        case 2:
        case 3: status = engine->Accept(now_, agent, contact); break;
        case 4: status = engine->Reject(now_, agent, contact); break;
        case 5: status = engine->Complete(now_, agent, contact); break;
        case 6: status = engine->EndWrapUp(now_, agent); break;
        case 7: status = engine->SetReady(now_, agent); break;
        case 8: status = engine->SetNotReady(now_, agent, "break", after_contacts); break;
        case 9: status = engine->Login(now_, agent, true); break;
        case 10: status = engine->Logout(now_, agent, true); break;
        case 11: status = engine->Abandon(now_, contact); break;
        case 12: status = engine->Hold(now_, agent, contact); break;
        case 13: status = engine->Resume(now_, agent, contact); break;
        default: status = engine->AdvanceTo(now_); break;
      }
      std::string text = status.ToString() + "\n";
      for (const Event& event : engine->DrainEvents()) text += FormatEvent(event) + "\n";
      results.push_back(std::move(text));
    }
    if (!id.empty()) contacts_.push_back(id);
    return results;
  }

  absl::Time now_ = testing::At(0);

 private:
  int Draw(size_t n) { return static_cast<int>(rng_() % n); }

  const std::vector<std::string> kAgents = {"a1", "a2", "a3", "backup", "a5"};
  const std::vector<std::string> kQueues = {"support", "sales", "vip", "care", "night", "tokyo"};
  std::mt19937_64 rng_;
  std::vector<std::string> contacts_;
};

// The dump read back; fails the test with the error otherwise.
Engine Loaded(const std::string& dump) {
  absl::StatusOr<Engine> loaded = Engine::LoadState(dump);
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  return *std::move(loaded);
}

TEST_CASE("A loaded engine dumps the text it was loaded from", "[load_state]") {
  Center c({.seed = 7});
  RichCenter(c);
  Driver driver(11);
  driver.now_ = c.now;
  for (int step = 0; step < 300; ++step) {
    driver.Step({&c.engine});
    const std::string dump = c.engine.DumpState();
    Engine loaded = Loaded(dump);
    REQUIRE(loaded.DumpState() == dump);
  }
  // A fresh engine too.
  Engine fresh;
  REQUIRE(Loaded(fresh.DumpState()).DumpState() == fresh.DumpState());
}

TEST_CASE("A loaded engine goes on exactly as the engine it was dumped from", "[load_state]") {
  for (const uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    for (const int snapshot_at : {0, 25, 80, 160}) {
      Center c({.seed = seed});
      RichCenter(c);
      Driver driver(seed * 1000 + static_cast<uint64_t>(snapshot_at));
      driver.now_ = c.now;
      for (int step = 0; step < snapshot_at; ++step) driver.Step({&c.engine});
      Engine loaded = Loaded(c.engine.DumpState());
      for (int step = 0; step < 200; ++step) {
        const std::vector<std::string> results = driver.Step({&c.engine, &loaded});
        INFO("seed " << seed << ", snapshot at " << snapshot_at << ", step " << step);
        REQUIRE(results[0] == results[1]);
        REQUIRE(c.engine.DumpState() == loaded.DumpState());
        REQUIRE(c.engine.NextDeadline() == loaded.NextDeadline());
      }
    }
  }
}

TEST_CASE("A loaded engine goes on exactly as the one dumped, around opening hours",
          "[load_state][hours]") {
  // New York's 17:22 opening of "night"; snapshots while closed, just before it, at it (the
  // hours timer has run) and after it.
  const absl::Time opening = absl::FromUnixSeconds(1700000000 - 13 * 60 - 20 + 22 * 60);
  const absl::Duration offsets[] = {-absl::Minutes(2), -absl::Microseconds(1),
                                    absl::ZeroDuration(), absl::Seconds(30)};
  for (const uint64_t seed : {1u, 2u, 3u}) {
    for (const absl::Duration offset : offsets) {
      Center c({.seed = seed});
      RichCenter(c);
      Driver driver(seed * 77 + static_cast<uint64_t>(absl::ToInt64Microseconds(offset) & 0xff));
      driver.now_ = c.now;
      const absl::Time at = opening + offset;
      while (driver.now_ + absl::Seconds(15) < at) driver.Step({&c.engine});
      driver.now_ = at;
      REQUIRE(c.engine.AdvanceTo(at).ok());
      c.engine.DrainEvents();
      const bool open = offset >= absl::ZeroDuration();
      REQUIRE(c.engine.GetQueueStats("night")->open == open);
      if (!open) REQUIRE(c.engine.NextDeadline() <= opening);
      Engine loaded = Loaded(c.engine.DumpState());
      REQUIRE(loaded.GetQueueStats("night")->open == open);
      REQUIRE(loaded.GetQueueStats("tokyo")->open == c.engine.GetQueueStats("tokyo")->open);
      REQUIRE(c.engine.NextDeadline() == loaded.NextDeadline());
      for (int step = 0; step < 250; ++step) {
        const std::vector<std::string> results = driver.Step({&c.engine, &loaded});
        INFO("seed " << seed << ", offset " << absl::FormatDuration(offset) << ", step "
                     << step);
        REQUIRE(results[0] == results[1]);
        REQUIRE(c.engine.DumpState() == loaded.DumpState());
        REQUIRE(c.engine.NextDeadline() == loaded.NextDeadline());
      }
      // The hours changed on the way (opening and closing events compared above).
      REQUIRE(driver.now_ > opening + absl::Minutes(8));
    }
  }
}

std::string RichDump() {
  Center c({.seed = 3});
  RichCenter(c);
  Driver driver(5);
  driver.now_ = c.now;
  for (int step = 0; step < 60; ++step) driver.Step({&c.engine});
  return c.engine.DumpState();
}

TEST_CASE("A dump of another format version is refused, naming both", "[load_state]") {
  std::string dump = RichDump();
  const std::string version = "switchboard.state.v1";
  dump.replace(dump.find(version), version.size(), "switchboard.state.v2");
  absl::StatusOr<Engine> loaded = Engine::LoadState(dump);
  REQUIRE(loaded.status().code() == absl::StatusCode::kFailedPrecondition);
  REQUIRE(loaded.status().message().find("switchboard.state.v2") != std::string::npos);
  REQUIRE(loaded.status().message().find("switchboard.state.v1") != std::string::npos);
}

TEST_CASE("Truncated text and garbage are refused cleanly", "[load_state]") {
  const std::string dump = RichDump();
  for (size_t cut = 0; cut < dump.size(); cut += 1 + dump.size() / 97) {
    absl::StatusOr<Engine> loaded = Engine::LoadState(dump.substr(0, cut));
    INFO("cut at " << cut);
    REQUIRE(loaded.status().code() == absl::StatusCode::kDataLoss);
  }
  for (const std::string& garbage :
       {std::string(), std::string("{"), std::string("null"), std::string("[]"),
        std::string("{\"format\":1}"), std::string(100000, '['), dump + "x",
        std::string("\x01\xff garbage")}) {
    absl::StatusOr<Engine> loaded = Engine::LoadState(garbage);
    REQUIRE(!loaded.ok());
  }
}

TEST_CASE("A changed number is refused, or read as exactly the state it says", "[load_state]") {
  const std::string dump = RichDump();
  std::mt19937_64 rng(17);
  int refused = 0;
  for (int trial = 0; trial < 400; ++trial) {
    size_t at = rng() % dump.size();
    while (at < dump.size() && (dump[at] < '0' || dump[at] > '9')) ++at;
    if (at == dump.size()) continue;
    std::string changed = dump;
    changed[at] = static_cast<char>('0' + (changed[at] - '0' + 1 + rng() % 9) % 10);
    absl::StatusOr<Engine> loaded = Engine::LoadState(changed);
    // The events buffered are not restored (a loaded engine has none).
    const std::string buffered = "\"events_buffered\":";
    const size_t from = changed.find(buffered) + buffered.size();
    changed.replace(from, changed.find(',', from) - from, "0");
    INFO("changed at " << at << ": " << changed.substr(at > 60 ? at - 60 : 0, 120));
    if (loaded.ok()) {
      // A value that is consistent with the rest (a counter, a time): the state it describes.
      REQUIRE(loaded->DumpState() == changed);
    } else {
      ++refused;
      const absl::StatusCode code = loaded.status().code();
      REQUIRE((code == absl::StatusCode::kDataLoss ||
               code == absl::StatusCode::kFailedPrecondition));
    }
  }
  REQUIRE(refused > 0);
  // Inconsistent records are refused with the path of the problem.
  std::string changed = dump;
  const std::string key = "\"waiting_count\":";
  const size_t at = changed.find(key) + key.size();
  changed.insert(at, "1");
  absl::StatusOr<Engine> loaded = Engine::LoadState(changed);
  REQUIRE(loaded.status().code() == absl::StatusCode::kDataLoss);
  REQUIRE(loaded.status().message().find("$.queues[0]") != std::string::npos);
}

}  // namespace
}  // namespace switchboard
