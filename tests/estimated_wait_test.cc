// Estimated wait: given at entry (contact_queued), queryable while waiting, measured from the
// time between serves while contacts wait, and scored against the actual wait in the statistics.
#include <catch2/catch.hpp>
#include <string>

#include "center.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

using testing::Center;
using testing::Skilled;

// The estimated wait of the contact_queued event of `contact` in `c.log`, as text.
std::string QueuedEwt(const Center& c, const std::string& contact) {
  for (const std::string& line : c.log) {
    if (line.find("contact_queued") == std::string::npos) continue;
    if (line.find("contact=" + contact + " ") == std::string::npos) continue;
    const size_t at = line.find(" ewt=");
    REQUIRE(at != std::string::npos);
    return line.substr(at + 5, line.find(' ', at + 5) - at - 5);
  }
  FAIL("no contact_queued for " << contact);
  return "";
}

TEST_CASE("Before any serve, the estimate is the initial interval per position", "[ewt]") {
  Center c;  // ewt_initial_interval 30 s
  c.Queue({.id = "q"});
  c.Contact({.id = "c1", .queue = "q"});
  c.Contact({.id = "c2", .queue = "q"});
  c.Drain();
  CHECK(QueuedEwt(c, "c1") == "30.000000");
  CHECK(QueuedEwt(c, "c2") == "60.000000");
  CHECK(c.engine.GetContact("c2")->estimated_wait == absl::Seconds(60));
}

TEST_CASE("A contact an agent takes at once is told it will not wait", "[ewt]") {
  Center c;
  c.Queue({.id = "q"});
  c.Agent(Skilled("a1", {}));
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  CHECK(QueuedEwt(c, "c1") == "0.000000");
  CHECK(c.engine.GetContact("c1")->estimated_wait == absl::ZeroDuration());  // ringing
}

TEST_CASE("The estimate follows the measured time between serves", "[ewt]") {
  EngineOptions options;
  options.ewt_initial_interval = absl::Seconds(10);
  Center c(options);
  c.Queue({.id = "q"});
  c.Agent(Skilled("a1", {}), /*login=*/false);
  // Ten waiting; the agent serves one every 60 s while they wait.
  for (int i = 0; i < 10; ++i) c.Contact({.id = "w" + std::to_string(i), .queue = "q"});
  REQUIRE(c.engine.Login(c.now, "a1", /*ready=*/true).ok());
  for (int i = 0; i < 60; ++i) {
    c.Drain();
    const std::string contact = c.OfferedTo("a1");
    REQUIRE(!contact.empty());
    REQUIRE(c.engine.Accept(c.now, "a1", contact).ok());
    c.Advance(60);
    REQUIRE(c.engine.Complete(c.now, "a1", contact).ok());
    c.Contact({.id = "x" + std::to_string(i), .queue = "q"});  // keeps ten waiting
  }
  // Contacts ahead of the newest: 9 others waiting (one is ringing at a1), so 10 serves away.
  // The smoothed interval has moved from 10 s to within (15/16)^60 x 50 s = 1 s of 60 s.
  c.Contact({.id = "last", .queue = "q"});
  const absl::Duration estimate = c.engine.GetContact("last")->estimated_wait;
  CHECK(estimate > absl::Seconds(10 * 58.9));
  CHECK(estimate <= absl::Seconds(10 * 60));
  // Its place in the line counts: the one ahead of all others is a serve away.
  CHECK(c.engine.GetContact("x50")->estimated_wait < absl::Seconds(2 * 61));
}

TEST_CASE("Each waiting contact's first serve is measured once, at a step too", "[ewt]") {
  SECTION("a serve at a requirement step") {
    EngineOptions options;
    options.ewt_initial_interval = absl::Seconds(10);
    Center c(options);
    c.Queue({.id = "q",
             .requirement = "support >= 5",
             .steps = {{.after = absl::Seconds(20), .requirement = "support >= 1"}}});
    c.Agent(Skilled("novice", {{"support", 2}}));
    c.Contact({.id = "c1", .queue = "q"});
    c.Advance(20);  // served at its step: 20 s after the queue stopped being empty
    c.Contact({.id = "c2", .queue = "q"});
    c.Drain();
    CHECK(QueuedEwt(c, "c2") == "10.625000");  // 10 + (20 - 10) / 16
  }
  SECTION("not again when offered after a missed offer") {
    EngineOptions options;
    options.ewt_initial_interval = absl::Seconds(30);
    options.reject_delay = absl::Minutes(10);  // a1 stays away after rejecting
    Center c(options);
    c.Queue({.id = "q"});
    c.Agent(Skilled("a1", {}), /*login=*/false);
    c.Agent(Skilled("a2", {}), /*login=*/false);
    c.Contact({.id = "c1", .queue = "q"});
    c.Advance(10);
    REQUIRE(c.engine.Login(c.now, "a1", /*ready=*/true).ok());  // served: 30 + (10 - 30) / 16
    REQUIRE(c.engine.Reject(c.now, "a1", "c1").ok());
    c.Advance(2);
    REQUIRE(c.engine.Login(c.now, "a2", /*ready=*/true).ok());  // offered again: not a serve
    c.Contact({.id = "c2", .queue = "q"});
    c.Drain();
    CHECK(QueuedEwt(c, "c2") == "28.750000");
  }
}

TEST_CASE("Estimates count the contacts waiting on the same channel", "[ewt]") {
  Center c;  // 30 s per serve
  c.Queue({.id = "q"});
  for (int i = 0; i < 5; ++i) {
    c.Contact({.id = "chat" + std::to_string(i), .channel = Channel::kChat, .queue = "q"});
  }
  c.Contact({.id = "call", .queue = "q"});
  c.Drain();
  CHECK(QueuedEwt(c, "call") == "30.000000");
  CHECK(c.engine.GetContact("call")->estimated_wait == absl::Seconds(30));
  CHECK(c.engine.GetContact("chat4")->estimated_wait == absl::Seconds(150));
}

TEST_CASE("Statistics score the estimate at entry against the wait", "[ewt]") {
  Center c;  // 30 s per position before any serve
  c.Queue({.id = "q"});
  c.Agent(Skilled("a1", {}), /*login=*/false);
  c.Contact({.id = "c1", .queue = "q"});  // told 30 s
  c.Advance(50);
  REQUIRE(c.engine.Login(c.now, "a1", /*ready=*/true).ok());
  c.Serve("a1");  // waited 50 s
  absl::StatusOr<QueueStats> stats = c.engine.GetQueueStats("q");
  REQUIRE(stats.ok());
  CHECK(stats->ewt_error == absl::Seconds(20));
  CHECK(stats->ewt_bias == absl::Seconds(-20));
}

TEST_CASE("The initial interval must be positive", "[ewt][limits]") {
  EngineOptions options;
  options.ewt_initial_interval = absl::ZeroDuration();
  absl::Status status = Engine::Create(options).status();
  CHECK(std::string(status.message()).find("ewt_initial_interval") == 0);
}

}  // namespace
}  // namespace switchboard
