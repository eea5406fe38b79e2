// Engine::DumpState: canonical (the same commands give the same text), complete enough to tell
// apart engines that differ in any one piece of state, and a pure query.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "center.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

using testing::At;
using testing::Center;
using testing::Skilled;

// Whether `text` is one JSON value as far as brackets and strings go: every bracket closed by
// its kind, strings closed, no raw control character inside a string.
bool JsonShaped(const std::string& text) {
  std::vector<char> open;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') open.push_back(c);
    if (c == '}' || c == ']') {
      if (open.empty() || open.back() != (c == '}' ? '{' : '[')) return false;
      open.pop_back();
      if (open.empty() && i + 1 != text.size()) return false;
    }
  }
  return !in_string && open.empty() && !text.empty() && text.front() == '{';
}

// The text of member `key` of the dump's top level (to the next top-level member).
std::string Section(const std::string& dump, const std::string& key, const std::string& next) {
  const size_t from = dump.find("\"" + key + "\":");
  const size_t to = dump.find("\"" + next + "\":", from);
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  return dump.substr(from, to - from);
}

// Accepts every offer now pending, and returns the contacts accepted and their agents.
std::vector<std::pair<std::string, std::string>> AcceptAll(Center& c) {
  c.Drain();
  std::vector<std::pair<std::string, std::string>> accepted;
  const auto offers = c.offers;
  for (const auto& [contact, agent] : offers) {
    if (c.engine.Accept(c.now, agent, contact).ok()) accepted.emplace_back(contact, agent);
  }
  c.Drain();
  return accepted;
}

// A center with a bit of everything: requirement steps, an overflow rule, a reserve, a
// multi-offer random queue, agents with capacity for chat, offers accepted and rejected (RONA
// cool-down), wrap-up timers, contacts waiting with priorities, a not-ready agent. Decisions go
// by the offers the engine makes, so two engines with the same options take the same path.
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
  AgentConfig a1 = Skilled("a1", {{"english", 5}});
  a1.capacity.Allow(Channel::kChat, 2);
  a1.attributes = {{"site", std::string("lyon \"east\"\n")}, {"tenure", 2.5}};
  c.Agent(a1);
  c.Agent(Skilled("a2", {{"english", 3}}));
  AgentConfig a3 = Skilled("a3", {});
  a3.weight = 2.5;
  c.Agent(a3);
  AgentConfig backup = Skilled("backup", {{"english", 1}});
  backup.auto_membership = false;
  backup.queues = {{.queue = "support", .reserve = true}};
  c.Agent(backup);

  c.Contact({.id = "s1", .queue = "support", .attributes = {{"tier", std::string("gold")}}});
  c.Contact({.id = "chat1", .channel = Channel::kChat, .queue = "support"});
  AcceptAll(c);
  c.Advance(3);
  c.Contact({.id = "r1", .queue = "sales"});  // rings at two agents at once, by random draw
  c.Drain();
  // The first agent offered r1 rejects it: RONA cool-down, the other still rings.
  for (const auto& [contact, agent] : c.offers) {
    if (contact == "r1") {
      REQUIRE(c.engine.Reject(c.now, agent, contact).ok());
      break;
    }
  }
  c.Drain();
  c.Advance(2);
  for (const auto& [contact, agent] : AcceptAll(c)) {
    if (contact == "s1") REQUIRE(c.engine.Complete(c.now, agent, contact).ok());
  }
  c.Drain();
  c.Advance(1);
  // Whoever holds s1 completes it now (timed wrap-up: a wrap-up timer).
  for (const std::string agent : {"a1", "a2"}) {
    absl::StatusOr<std::vector<ContactInfo>> held = c.engine.GetAgentContacts(agent);
    REQUIRE(held.ok());
    for (const ContactInfo& info : *held) {
      if (info.id == "s1" && info.state == ContactState::kConnected) {
        REQUIRE(c.engine.Complete(c.now, agent, "s1").ok());
      }
    }
  }
  c.Contact({.id = "w1", .queue = "support", .priority = 1});
  c.Contact({.id = "w2", .queue = "support", .priority = 3, .priority_class = 1});
  c.Contact({.id = "w3", .queue = "sales", .priority = -1});
  c.Drain();
  c.Advance(4);
  c.Drain();
}

std::string RichDump(uint64_t seed = 7) {
  Center c({.seed = seed});
  RichCenter(c);
  return c.engine.DumpState();
}

TEST_CASE("Two engines given the same commands dump the same text", "[state_dump]") {
  const std::string first = RichDump();
  const std::string second = RichDump();
  INFO(first);
  CHECK(JsonShaped(first));
  CHECK(first == second);
  // It holds what it says: waiting contacts with their keys, live timers, the generator.
  CHECK(first.find("\"virtual_arrival\"") != std::string::npos);
  CHECK(first.find("\"kind\":\"wrap_up_end\"") != std::string::npos);
  CHECK(first.find("\"kind\":\"cooldown_end\"") != std::string::npos);
  CHECK(first.find("\"site\":\"lyon \\\"east\\\"\\n\"") != std::string::npos);
}

TEST_CASE("Dumping changes nothing: the same text, deadline and later events", "[state_dump]") {
  Center dumped({.seed = 7});
  Center quiet({.seed = 7});
  RichCenter(dumped);
  RichCenter(quiet);
  const std::string before = dumped.engine.DumpState();
  CHECK(dumped.engine.DumpState() == before);
  CHECK(dumped.engine.NextDeadline() == quiet.engine.NextDeadline());
  // NextDeadline drops stale timers; the dump leaves those out, so it reads the same.
  CHECK(dumped.engine.DumpState() == before);
  CHECK(quiet.engine.DumpState() == before);
  for (int step = 0; step < 12; ++step) {
    dumped.Advance(10);
    quiet.Advance(10);
    (void)dumped.engine.DumpState();
    AcceptAll(dumped);
    AcceptAll(quiet);
    CHECK(dumped.log == quiet.log);
    CHECK(dumped.engine.NextDeadline() == quiet.engine.NextDeadline());
    CHECK(dumped.engine.DumpState() == quiet.engine.DumpState());
  }
}

TEST_CASE("The dump tells apart engines that differ in one piece of state", "[state_dump]") {
  SECTION("an offer's timer") {
    Center early, late;
    for (Center* c : {&early, &late}) {
      c->Queue({.id = "q"});
      c->Agent(Skilled("a", {}));
    }
    early.Contact({.id = "c", .queue = "q", .arrival = At(0)});
    late.Advance(1);
    late.Contact({.id = "c", .queue = "q", .arrival = At(0)});
    CHECK(Section(early.engine.DumpState(), "timers", "interval_stats") !=
          Section(late.engine.DumpState(), "timers", "interval_stats"));
  }
  SECTION("an agent's not-ready reason") {
    Center lunch, meeting;
    lunch.Agent(Skilled("a", {}));
    meeting.Agent(Skilled("a", {}));
    REQUIRE(lunch.engine.SetNotReady(lunch.now, "a", "lunch").ok());
    REQUIRE(meeting.engine.SetNotReady(meeting.now, "a", "meeting").ok());
    CHECK(lunch.engine.DumpState() != meeting.engine.DumpState());
  }
  SECTION("a waiting contact's priority") {
    Center low, high;
    for (Center* c : {&low, &high}) {
      c->Queue({.id = "q"});
      c->Contact({.id = "c", .queue = "q"});
    }
    REQUIRE(high.engine.Execute({high.now, Actor::Host(), SetContactPriority{"c", 5}}).ok());
    CHECK(Section(low.engine.DumpState(), "queues", "entry_rules") !=
          Section(high.engine.DumpState(), "queues", "entry_rules"));
  }
  SECTION("a statistic counter") {
    Center resolved, escalated;
    for (Center* c : {&resolved, &escalated}) {
      c->Queue({.id = "q"});
      c->Agent(Skilled("a", {}));
      c->Contact({.id = "c", .queue = "q"});
      REQUIRE(c->engine.Accept(c->now, "a", "c").ok());
    }
    REQUIRE(resolved.engine
                .Execute({resolved.now, Actor::Host(), CompleteContact{"a", "c", "resolved"}})
                .ok());
    REQUIRE(escalated.engine
                .Execute({escalated.now, Actor::Host(), CompleteContact{"a", "c", "escalated"}})
                .ok());
    CHECK(Section(resolved.engine.DumpState(), "queues", "entry_rules") !=
          Section(escalated.engine.DumpState(), "queues", "entry_rules"));
  }
  SECTION("the random generator's state") {
    // Different seeds: different states before any draw.
    CHECK(Section(RichDump(1), "random", "next_token") !=
          Section(RichDump(2), "random", "next_token"));
    // The same seed: a random decision moves the state on.
    Center c({.seed = 3});
    c.Queue({.id = "q", .strategy = Strategy::kRandom});
    c.Agent(Skilled("a", {}));
    c.Agent(Skilled("b", {}));
    const std::string before = Section(c.engine.DumpState(), "random", "next_token");
    c.Contact({.id = "x", .queue = "q"});
    CHECK(Section(c.engine.DumpState(), "random", "next_token") != before);
  }
  SECTION("a pending timer") {
    Center plain, extended;
    for (Center* c : {&plain, &extended}) {
      c->Queue({.id = "q",
                .wrap_up = {.mode = WrapUpPolicy::Mode::kTimedWithExtension,
                            .duration = absl::Seconds(10),
                            .max_extension = absl::Seconds(30)}});
      c->Agent(Skilled("a", {}));
      c->Contact({.id = "c", .queue = "q"});
      REQUIRE(c->engine.Accept(c->now, "a", "c").ok());
      REQUIRE(c->engine.Complete(c->now, "a", "c").ok());
    }
    REQUIRE(extended.engine.ExtendWrapUp(extended.now, "a", "c", absl::Seconds(5)).ok());
    CHECK(Section(plain.engine.DumpState(), "timers", "interval_stats") !=
          Section(extended.engine.DumpState(), "timers", "interval_stats"));
  }
}

}  // namespace
}  // namespace switchboard
