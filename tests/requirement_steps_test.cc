// Requirement steps (skill relaxation): a waiting contact takes the requirement of the step its
// wait has reached, keeps its place, keeps an offer it has, and is counted in its own queue.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "center.h"
#include "switchboard/limits.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

using testing::At;
using testing::Center;
using testing::Skilled;

// "q": experts (support >= 5) at first; after 30 s anyone with support >= 1.
QueueConfig Widening() {
  return {.id = "q",
          .requirement = "support >= 5",
          .steps = {{.after = absl::Seconds(30), .requirement = "support >= 1"}}};
}

TEST_CASE("After a step's wait, agents meeting its requirement take the contact",
          "[steps]") {
  Center c;
  c.Queue(Widening());
  c.Agent(Skilled("novice", {{"support", 2}}));
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  CHECK(c.OfferedTo("novice").empty());
  CHECK(c.engine.NextDeadline() == At(30));
  c.Advance(29.999);
  c.Drain();
  CHECK(c.OfferedTo("novice").empty());
  c.Advance(0.001);
  c.Drain();
  CHECK(c.OfferedTo("novice") == "c1");
  // The step is an event of its own, before the offer it made possible.
  const std::string expected =
      "contact_requirement_changed actor=system cause=requirement_step contact=c1 queue=q";
  auto step = std::find_if(c.log.begin(), c.log.end(), [&](const std::string& line) {
    return line.find(expected) != std::string::npos;
  });
  REQUIRE(step != c.log.end());
  CHECK(step->find("reason=support >= 1") != std::string::npos);
  CHECK(step->find("wait=30.000000") != std::string::npos);
  CHECK(std::find_if(step, c.log.end(), [](const std::string& line) {
          return line.find("contact_offered") != std::string::npos;
        }) != c.log.end());
}

TEST_CASE("A step may narrow the requirement: long waits go to experts only", "[steps]") {
  Center c;
  c.Queue({.id = "q",
           .requirement = "support >= 1",
           .steps = {{.after = absl::Minutes(1), .requirement = "support >= 5"}}});
  c.Agent(Skilled("novice", {{"support", 2}}), /*login=*/false);
  c.Agent(Skilled("expert", {{"support", 7}}), /*login=*/false);
  c.Contact({.id = "c1", .queue = "q"});
  c.Advance(61);
  REQUIRE(c.engine.Login(c.now, "novice", /*ready=*/true).ok());
  c.Drain();
  CHECK(c.OfferedTo("novice").empty());
  REQUIRE(c.engine.Login(c.now, "expert", /*ready=*/true).ok());
  c.Drain();
  CHECK(c.OfferedTo("expert") == "c1");
}

TEST_CASE("Contacts keep their place in the order across steps", "[steps]") {
  Center c;
  c.Queue(Widening());
  c.Agent(Skilled("novice", {{"support", 2}}), /*login=*/false);
  c.Agent(Skilled("expert", {{"support", 9}}), /*login=*/false);
  c.Contact({.id = "c1", .queue = "q"});
  c.Advance(10);
  c.Contact({.id = "c2", .queue = "q"});
  c.Advance(25);  // c1 has taken the step (35 s), c2 not yet (25 s)
  c.Contact({.id = "c3", .queue = "q"});
  c.Advance(10);  // c2 at 35 s too
  // The expert serves the queue and its step: the longest wait first, whichever step.
  REQUIRE(c.engine.Login(c.now, "expert", /*ready=*/true).ok());
  CHECK(c.Serve("expert") == "c1");
  CHECK(c.OfferedTo("expert") == "c2");
  REQUIRE(c.engine.Accept(c.now, "expert", "c2").ok());
  // The novice serves the step only: not c3 (10 s) until it reaches 30 s.
  REQUIRE(c.engine.Login(c.now, "novice", /*ready=*/true).ok());
  c.Drain();
  CHECK(c.OfferedTo("novice").empty());
  c.Advance(19);
  c.Drain();
  CHECK(c.OfferedTo("novice").empty());
  c.Advance(1);
  c.Drain();
  CHECK(c.OfferedTo("novice") == "c3");
}

TEST_CASE("An offered contact keeps its offer; back in the queue, it takes its step",
          "[steps]") {
  EngineOptions options;
  options.offer_timeout = absl::Seconds(15);
  options.timeout_delay = absl::Minutes(10);  // the expert stays away after missing it
  Center c(options);
  c.Queue({.id = "q",
           .requirement = "support >= 5",
           .steps = {{.after = absl::Seconds(10), .requirement = "support >= 1"}}});
  c.Agent(Skilled("expert", {{"support", 9}}));
  c.Agent(Skilled("novice", {{"support", 2}}));
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  REQUIRE(c.OfferedTo("expert") == "c1");
  c.Advance(10);  // the step's time passes while it rings: nothing changes
  c.Drain();
  CHECK(c.OfferedTo("expert") == "c1");
  CHECK(std::none_of(c.log.begin(), c.log.end(), [](const std::string& line) {
    return line.find("contact_requirement_changed") != std::string::npos;
  }));
  c.Advance(5);  // RONA: back in the queue at 15 s, past the step, so the novice may take it
  c.Drain();
  CHECK(c.OfferedTo("novice") == "c1");
  CHECK(std::count_if(c.log.begin(), c.log.end(), [](const std::string& line) {
          return line.find("contact_requirement_changed actor=system cause=offer_timeout "
                           "contact=c1") != std::string::npos;
        }) == 1);
}

TEST_CASE("A contact that arrived earlier enters the step its wait has reached", "[steps]") {
  SECTION("widening: the novice takes it at once") {
    Center c;
    c.Queue(Widening());
    c.Agent(Skilled("novice", {{"support", 2}}));
    c.Advance(100);
    REQUIRE(c.engine.AddContact(c.now, {.id = "c1", .queue = "q", .arrival = At(60)}).ok());
    c.Drain();
    CHECK(c.OfferedTo("novice") == "c1");
  }
  SECTION("narrowing: not to an agent the step excludes") {
    Center c;
    c.Queue({.id = "q",
             .requirement = "support >= 1",
             .steps = {{.after = absl::Seconds(30), .requirement = "support >= 5"}}});
    c.Agent(Skilled("novice", {{"support", 2}}));
    c.Advance(100);
    REQUIRE(c.engine.AddContact(c.now, {.id = "c1", .queue = "q", .arrival = At(60)}).ok());
    c.Drain();
    CHECK(c.OfferedTo("novice").empty());
    CHECK(c.engine.GetContact("c1")->state == ContactState::kWaiting);
  }
}

TEST_CASE("An explicit member may serve only a step of a queue", "[steps]") {
  Center c;
  c.Queue(Widening());
  AgentConfig member = Skilled("member", {{"support", 2}});  // below the queue's 5
  member.auto_membership = false;
  member.queues = {{.queue = "q"}};
  c.Agent(member);
  CHECK(*c.engine.GetAgentQueues("member") == std::vector<std::string>{"q"});
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  CHECK(c.OfferedTo("member").empty());
  c.Advance(30);
  c.Drain();
  CHECK(c.OfferedTo("member") == "c1");
  // Meeting neither the queue's requirement nor a step's is refused.
  AgentConfig outsider = Skilled("outsider", {{"sales", 9}});
  outsider.auto_membership = false;
  outsider.queues = {{.queue = "q"}};
  CHECK(c.engine.AddAgent(c.now, outsider).code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("A queue's counts and listings include its steps", "[steps]") {
  Center c;
  c.Queue(Widening());
  c.Agent(Skilled("novice", {{"support", 2}}), /*login=*/false);
  c.Agent(Skilled("both", {{"support", 6}}), /*login=*/false);
  c.Contact({.id = "c1", .queue = "q"});
  c.Contact({.id = "c2", .queue = "q"});
  c.Advance(40);
  c.Contact({.id = "c3", .queue = "q"});
  absl::StatusOr<QueueStats> stats = c.engine.GetQueueStats("q");
  REQUIRE(stats.ok());
  CHECK(stats->waiting == 3);
  CHECK(stats->longest_wait == absl::Seconds(40));
  CHECK(c.engine.GetContact("c1")->queue == "q");
  // Served through the step alone, or through both: listed once.
  CHECK(*c.engine.GetAgentQueues("novice") == std::vector<std::string>{"q"});
  CHECK(*c.engine.GetAgentQueues("both") == std::vector<std::string>{"q"});
  REQUIRE(c.engine.Login(c.now, "novice", /*ready=*/true).ok());
  c.Serve("novice");
  CHECK(c.OfferedTo("novice") == "c2");  // then the next that waited past the step
  stats = c.engine.GetQueueStats("q");
  CHECK(stats->waiting == 1);
  CHECK(stats->offered == 3);
  CHECK(stats->answered == 1);
  CHECK(stats->completed == 1);
}

TEST_CASE("Explicit members serve the steps whose requirement they meet", "[steps]") {
  Center c;
  c.Queue({.id = "q",
           .requirement = "support >= 1",
           .steps = {{.after = absl::Seconds(30), .requirement = "support >= 5"}}});
  AgentConfig member = Skilled("member", {{"support", 2}});
  member.auto_membership = false;
  member.queues = {{.queue = "q"}};
  c.Agent(member, /*login=*/false);
  c.Contact({.id = "c1", .queue = "q"});
  c.Advance(31);
  REQUIRE(c.engine.Login(c.now, "member", /*ready=*/true).ok());
  c.Drain();
  CHECK(c.OfferedTo("member").empty());  // c1 now needs support >= 5
  c.Contact({.id = "c2", .queue = "q"});
  c.Drain();
  CHECK(c.OfferedTo("member") == "c2");
}

TEST_CASE("Steps are checked before anything changes", "[steps][limits]") {
  Engine engine;
  const absl::Time t = At(0);
  auto refused = [&](QueueConfig config) {
    const int skills = engine.skills().size();
    absl::Status status = engine.AddQueue(t, std::move(config));
    CHECK(engine.skills().size() == skills);  // nothing interned
    CHECK_FALSE(engine.GetQueueStats("q").ok());
    return std::string(status.message());
  };
  CHECK(refused({.id = "q", .steps = {{.after = absl::ZeroDuration(), .requirement = "a >= 1"}}})
            .find("queue 'q': steps[0].after") == 0);
  CHECK(refused({.id = "q",
                 .steps = {{.after = absl::Seconds(30), .requirement = "a >= 1"},
                           {.after = absl::Seconds(30), .requirement = "b >= 1"}}}) ==
        "queue 'q': steps[1].after is 30s; expected more than the step before (30s)");
  CHECK(refused({.id = "q",
                 .requirement = "fresh >= 1",
                 .steps = {{.after = absl::Seconds(30), .requirement = "other >= "}}})
            .find("queue 'q': steps[0].requirement: ") == 0);
  QueueConfig many{.id = "q"};
  for (size_t i = 0; i <= kMaxRequirementSteps; ++i) {
    many.steps.push_back({.after = absl::Seconds(static_cast<double>(i + 1)), .requirement = ""});
  }
  CHECK(refused(many) == "queue 'q': 17 steps; expected at most 16");
  many.steps.pop_back();
  CHECK(engine.AddQueue(t, many).ok());
}

}  // namespace
}  // namespace switchboard
