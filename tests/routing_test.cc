// Routing decisions: order within a queue, across queues, agent-selection strategies, offers,
// multichannel capacity, preferred agents and the indexes' bookkeeping.
#include <catch2/catch.hpp>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "center.h"
#include "engine_with.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

using testing::At;
using testing::Center;
using testing::kStart;
using testing::Skilled;

TEST_CASE("The longest-waiting contact goes first", "[routing][order]") {
  Center c;
  c.Queue({.id = "q"});
  c.Agent(Skilled("a1", {}), /*login=*/false);
  c.Contact({.id = "c1", .queue = "q"});
  c.Advance(1);
  c.Contact({.id = "c2", .queue = "q"});
  c.Advance(1);
  c.Contact({.id = "c3", .queue = "q"});
  REQUIRE(c.engine.Login(c.now, "a1", true).ok());
  CHECK(c.Serve("a1") == "c1");
  CHECK(c.Serve("a1") == "c2");
  CHECK(c.Serve("a1") == "c3");
}

TEST_CASE("A priority point counts as one aging unit of waiting", "[routing][order]") {
  Center c;  // aging unit 60 s
  c.Queue({.id = "q"});
  c.Agent(Skilled("a1", {}), false);
  c.Contact({.id = "old", .queue = "q"});
  c.Advance(59);
  c.Contact({.id = "boosted", .queue = "q", .priority = 1});  // as if it arrived 1 s earlier
  c.Advance(2);
  c.Contact({.id = "late", .queue = "q", .priority = 1});  // as if 1 s after "old"
  REQUIRE(c.engine.Login(c.now, "a1", true).ok());
  CHECK(c.Serve("a1") == "boosted");
  CHECK(c.Serve("a1") == "old");
  CHECK(c.Serve("a1") == "late");
}

// The aging bound (docs/routing.md): a contact of priority p that has waited W goes before every
// contact of priority up to p + W / aging_unit that arrives after it, so no priority can starve
// another for longer than the difference in points times the aging unit.
TEST_CASE("A lower priority overtakes later higher priorities after the aging bound",
          "[routing][order][aging]") {
  SECTION("at the bound") {
    // "low" (0) and then "high" (3) arriving 3 units minus / plus a second later.
    for (const auto& [gap, first] : {std::pair{179.0, "high"}, std::pair{181.0, "low"},
                                     std::pair{180.0, "low"}}) {  // a tie: entry order
      Center c;
      c.Queue({.id = "q"});
      c.Agent(Skilled("a1", {}), false);
      c.Contact({.id = "low", .queue = "q"});
      c.Advance(gap);
      c.Contact({.id = "high", .queue = "q", .priority = 3});
      REQUIRE(c.engine.Login(c.now, "a1", true).ok());
      CHECK(c.Serve("a1") == first);
    }
  }
  SECTION("for every pair served out of arrival order") {
    // Random priorities and arrivals; whenever a later arrival went first, its extra priority
    // covered the gap: (p_later - p_earlier) * aging_unit >= a_later - a_earlier.
    Center c;
    c.Queue({.id = "q"});
    c.Agent(Skilled("a1", {}), false);
    std::mt19937_64 rng(5);
    std::map<std::string, std::pair<double, int>> arrivals;  // id -> (arrival s, priority)
    double t = 0;
    for (int i = 0; i < 200; ++i) {
      const double step = static_cast<double>(rng() % 120);
      c.Advance(step);
      t += step;
      const int priority = static_cast<int>(rng() % 11) - 5;
      const std::string id = "c" + std::to_string(i);
      c.Contact({.id = id, .queue = "q", .priority = priority});
      arrivals[id] = {t, priority};
    }
    REQUIRE(c.engine.Login(c.now, "a1", true).ok());
    std::vector<std::string> served;
    for (int i = 0; i < 200; ++i) served.push_back(c.Serve("a1"));
    int overtakes = 0;
    for (size_t i = 0; i < served.size(); ++i) {
      for (size_t j = i + 1; j < served.size(); ++j) {
        const auto [a_first, p_first] = arrivals[served[i]];
        const auto [a_later, p_later] = arrivals[served[j]];
        if (a_first <= a_later) continue;  // in arrival order
        ++overtakes;
        CHECK((p_first - p_later) * 60.0 >= a_first - a_later);
      }
    }
    CHECK(overtakes > 0);  // priorities did reorder some
  }
}

TEST_CASE("A strict priority class beats any wait", "[routing][order]") {
  Center c;
  c.Queue({.id = "q"});
  c.Agent(Skilled("a1", {}), false);
  c.Contact({.id = "patient", .queue = "q", .priority = 100});
  c.Advance(3600);
  c.Contact({.id = "emergency", .queue = "q", .priority_class = 1});
  REQUIRE(c.engine.Login(c.now, "a1", true).ok());
  CHECK(c.Serve("a1") == "emergency");
  CHECK(c.Serve("a1") == "patient");
}

TEST_CASE("Equal virtual arrivals are served in entry order", "[routing][order]") {
  Center c;
  c.Queue({.id = "q"});
  c.Agent(Skilled("a1", {}), false);
  for (const char* id : {"x", "y", "z"}) c.Contact({.id = id, .queue = "q"});
  REQUIRE(c.engine.Login(c.now, "a1", true).ok());
  CHECK(c.Serve("a1") == "x");
  CHECK(c.Serve("a1") == "y");
  CHECK(c.Serve("a1") == "z");
}

TEST_CASE("Across queues the agent's own queue priority comes before waiting time",
          "[routing][queues]") {
  Center c;
  c.Queue({.id = "sales"});
  c.Queue({.id = "support"});
  AgentConfig agent = Skilled("a1", {});
  agent.auto_membership = false;
  agent.queues = {{.queue = "sales", .priority = 0}, {.queue = "support", .priority = 5}};
  c.Agent(agent, false);
  c.Contact({.id = "sales-old", .queue = "sales"});
  c.Advance(300);
  c.Contact({.id = "support-new", .queue = "support"});
  REQUIRE(c.engine.Login(c.now, "a1", true).ok());
  CHECK(c.Serve("a1") == "support-new");
  CHECK(c.Serve("a1") == "sales-old");
}

TEST_CASE("Across queues of equal priority the most urgent contact wins", "[routing][queues]") {
  Center c;
  c.Queue({.id = "sales"});
  c.Queue({.id = "support"});
  c.Agent(Skilled("a1", {}), false);
  c.Contact({.id = "support-old", .queue = "support"});
  c.Advance(10);
  c.Contact({.id = "sales-new", .queue = "sales"});
  c.Contact({.id = "sales-vip", .queue = "sales", .priority_class = 2});
  REQUIRE(c.engine.Login(c.now, "a1", true).ok());
  CHECK(c.Serve("a1") == "sales-vip");
  CHECK(c.Serve("a1") == "support-old");
  CHECK(c.Serve("a1") == "sales-new");
}

TEST_CASE("A queue delay keeps a backup agent away until the contact has waited",
          "[routing][queues][delay]") {
  Center c;
  c.Queue({.id = "q"});
  AgentConfig backup = Skilled("backup", {});
  backup.auto_membership = false;
  backup.queues = {{.queue = "q", .delay = absl::Seconds(30)}};
  c.Agent(backup);
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  CHECK(c.OfferedTo("backup").empty());
  REQUIRE(c.engine.NextDeadline() == At(30));
  c.Advance(29);
  c.Drain();
  CHECK(c.OfferedTo("backup").empty());
  c.Advance(1);
  c.Drain();
  CHECK(c.OfferedTo("backup") == "c1");
}

TEST_CASE("A contact's priority boost counts towards an agent's queue delay",
          "[routing][queues][delay]") {
  Center c;
  c.Queue({.id = "q"});
  AgentConfig backup = Skilled("backup", {});
  backup.auto_membership = false;
  backup.queues = {{.queue = "q", .delay = absl::Seconds(60)}};
  c.Agent(backup);
  c.Contact({.id = "boosted", .queue = "q", .priority = 1});
  c.Drain();
  CHECK(c.OfferedTo("backup") == "boosted");
}

TEST_CASE("Skill requirements decide who may serve a queue", "[routing][skills]") {
  Center c;
  c.Queue({.id = "jp", .requirement = "japanese >= 3"});
  c.Agent(Skilled("novice", {{"japanese", 2}}));
  c.Agent(Skilled("fluent", {{"japanese", 5}}));
  c.Contact({.id = "c1", .queue = "jp"});
  c.Drain();
  CHECK(c.OfferedTo("fluent") == "c1");
  CHECK(*c.engine.GetAgentQueues("novice") == std::vector<std::string>{});
  CHECK(*c.engine.GetAgentQueues("fluent") == std::vector<std::string>{"jp"});
}

TEST_CASE("A queue added later picks up the agents that meet it", "[routing][skills]") {
  Center c;
  c.Agent(Skilled("a1", {{"support", 3}}));
  c.Agent(Skilled("a2", {{"sales", 3}}));
  c.Queue({.id = "support", .requirement = "support"});
  CHECK(*c.engine.GetAgentQueues("a1") == std::vector<std::string>{"support"});
  CHECK(c.engine.GetAgentQueues("a2")->empty());
  c.Contact({.id = "c1", .queue = "support"});
  c.Drain();
  CHECK(c.OfferedTo("a1") == "c1");
}

TEST_CASE("An agent listed for a queue whose requirement it fails is refused",
          "[routing][skills][errors]") {
  Center c;
  c.Queue({.id = "jp", .requirement = "japanese >= 3"});
  AgentConfig agent = Skilled("a1", {{"japanese", 1}});
  agent.auto_membership = false;
  agent.queues = {{.queue = "jp"}};
  absl::Status status = c.engine.AddAgent(c.now, agent);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(status.message()), Catch::Contains("does not meet its requirement"));
  CHECK(c.engine.GetAgentStats("a1").status().code() == absl::StatusCode::kNotFound);
  agent.queues = {{.queue = "nope"}};
  CHECK(c.engine.AddAgent(c.now, agent).code() == absl::StatusCode::kNotFound);
}

TEST_CASE("Longest idle picks the agent free the longest", "[routing][strategy]") {
  Center c;
  c.Queue({.id = "q"});
  c.Agent(Skilled("a1", {}));
  c.Advance(5);
  c.Agent(Skilled("a2", {}));
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  CHECK(c.OfferedTo("a1") == "c1");
  c.Advance(1);
  c.Serve("a1");  // a1 is free again, now more recently than a2
  c.Contact({.id = "c2", .queue = "q"});
  c.Drain();
  CHECK(c.OfferedTo("a2") == "c2");
}

TEST_CASE("Most skilled picks the highest level on the queue's skills", "[routing][strategy]") {
  Center c;
  c.Queue({.id = "q", .requirement = "support", .strategy = Strategy::kMostSkilled});
  c.Agent(Skilled("good", {{"support", 50}}));
  c.Agent(Skilled("best", {{"support", 90}}));
  c.Agent(Skilled("ok", {{"support", 10}}));
  c.Contact({.id = "c1", .queue = "q"});
  c.Contact({.id = "c2", .queue = "q"});
  c.Drain();
  CHECK(c.OfferedTo("best") == "c1");
  CHECK(c.OfferedTo("good") == "c2");
}

TEST_CASE("Fewest contacts evens out the load", "[routing][strategy]") {
  Center c;
  c.Queue({.id = "q", .strategy = Strategy::kFewestContacts});
  for (const char* id : {"a1", "a2", "a3"}) c.Agent(Skilled(id, {}));
  std::map<std::string, int> handled;
  for (int i = 0; i < 30; ++i) {
    c.Contact({.id = "c" + std::to_string(i), .queue = "q"});
    c.Drain();
    for (const char* id : {"a1", "a2", "a3"}) {
      if (!c.OfferedTo(id).empty()) {
        ++handled[id];
        c.Serve(id);
      }
    }
    c.Advance(1);
  }
  CHECK(handled["a1"] == 10);
  CHECK(handled["a2"] == 10);
  CHECK(handled["a3"] == 10);
}

TEST_CASE("Round robin resumes after the agent chosen last", "[routing][strategy]") {
  Center c;
  c.Queue({.id = "q", .strategy = Strategy::kRoundRobin});
  for (const char* id : {"a1", "a2", "a3"}) c.Agent(Skilled(id, {}));
  std::vector<std::string> order;
  for (int i = 0; i < 6; ++i) {
    c.Contact({.id = "c" + std::to_string(i), .queue = "q"});
    c.Drain();
    for (const char* id : {"a1", "a2", "a3"}) {
      if (!c.OfferedTo(id).empty()) {
        order.push_back(id);
        c.Serve(id);
      }
    }
  }
  CHECK(order == std::vector<std::string>{"a1", "a2", "a3", "a1", "a2", "a3"});
}

TEST_CASE("Weighted random follows the weights and the seed", "[routing][strategy]") {
  auto run = [](uint64_t seed) {
    Center c({.seed = seed});
    c.Queue({.id = "q", .strategy = Strategy::kRandom});
    AgentConfig heavy = Skilled("heavy", {});
    heavy.weight = 3;
    c.Agent(heavy);
    c.Agent(Skilled("light", {}));
    std::map<std::string, int> picked;
    for (int i = 0; i < 4000; ++i) {
      c.Contact({.id = "c" + std::to_string(i), .queue = "q"});
      c.Drain();
      for (const char* id : {"heavy", "light"}) {
        if (!c.OfferedTo(id).empty()) {
          ++picked[id];
          c.Serve(id);
        }
      }
    }
    return picked;
  };
  const auto picked = run(7);
  // 3:1 weights: heavy expected 3000 of 4000, sd ~27.
  CHECK(picked.at("heavy") > 2850);
  CHECK(picked.at("heavy") < 3150);
  CHECK(run(7) == picked);
  CHECK(run(8) != picked);
}

TEST_CASE("Least occupied picks the agent that worked least in the window",
          "[routing][strategy]") {
  Center c;
  c.Queue({.id = "q", .strategy = Strategy::kLeastOccupied});
  c.Agent(Skilled("worker", {}));
  c.Agent(Skilled("rested", {}));
  // worker handles a 10-minute contact; rested stays idle but became free later.
  c.Contact({.id = "long", .queue = "q"});
  c.Drain();
  REQUIRE(c.OfferedTo("worker") == "long");
  REQUIRE(c.engine.Accept(c.now, "worker", "long").ok());
  c.Advance(600);
  REQUIRE(c.engine.Complete(c.now, "worker", "long").ok());
  c.Advance(1);
  REQUIRE(c.engine.SetNotReady(c.now, "rested", "break").ok());
  REQUIRE(c.engine.SetReady(c.now, "rested").ok());  // free more recently than worker
  c.Advance(1);
  c.Contact({.id = "next", .queue = "q"});
  c.Drain();
  CHECK(c.OfferedTo("rested") == "next");
}

TEST_CASE("Host score lets the host rank the candidates", "[routing][strategy]") {
  Center c;
  c.Queue({.id = "q", .strategy = Strategy::kHostScore});
  for (const char* id : {"a1", "a2", "a3"}) c.Agent(Skilled(id, {}));
  int calls = 0;
  c.engine.SetHostScorer([&calls](const ScoringCandidate& candidate) {
    ++calls;
    return candidate.agent_id == "a2" ? 10.0 : 1.0;
  });
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  CHECK(c.OfferedTo("a2") == "c1");
  CHECK(calls == 3);
}

TEST_CASE("Host score shows the scorer each candidate's idle time, count and skill score",
          "[routing][strategy]") {
  Center c;
  c.Queue({.id = "q", .requirement = "sales", .strategy = Strategy::kHostScore});
  c.Agent(Skilled("a1", {{"sales", 7}}));
  c.Agent(Skilled("a2", {{"sales", 3}}));  // free since the same moment as a1
  c.Advance(5);
  c.Agent(Skilled("a3", {{"sales", 9}}));
  c.Advance(10);
  struct Shown {
    std::string agent;
    int64_t idle_micros;
    int64_t handled;
    int skill_score;
  };
  std::vector<Shown> shown;
  bool by_skill = false;
  c.engine.SetHostScorer([&](const ScoringCandidate& candidate) {
    shown.push_back({std::string(candidate.agent_id), candidate.idle_micros,
                     candidate.contacts_handled, candidate.skill_score});
    return by_skill ? candidate.skill_score : 0.0;
  });
  // Equal scores: the longest idle wins, and between a1 and a2, idle equally long, the one
  // added first. Candidates come longest idle first.
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  CHECK(c.OfferedTo("a1") == "c1");
  REQUIRE(shown.size() == 3);
  CHECK(shown[0].agent == "a1");
  CHECK(shown[0].idle_micros == 15'000'000);
  CHECK(shown[0].skill_score == 7);
  CHECK(shown[1].agent == "a2");
  CHECK(shown[1].idle_micros == 15'000'000);
  CHECK(shown[1].skill_score == 3);
  CHECK(shown[2].agent == "a3");
  CHECK(shown[2].idle_micros == 10'000'000);
  CHECK(shown[2].skill_score == 9);
  c.Serve("a1");
  c.Advance(2);
  shown.clear();
  by_skill = true;
  c.Contact({.id = "c2", .queue = "q"});
  c.Drain();
  CHECK(c.OfferedTo("a3") == "c2");
  REQUIRE(shown.size() == 3);
  CHECK(shown[2].agent == "a1");  // free again, most recently
  CHECK(shown[2].idle_micros == 2'000'000);
  CHECK(shown[2].handled == 1);
  CHECK(shown[2].skill_score == 7);
}

TEST_CASE("RONA returns the contact with its original place", "[routing][offers]") {
  Center c({.rona_cooldown = absl::Seconds(60), .max_consecutive_misses = 0,
            .timeout_delay = absl::ZeroDuration()});
  c.Queue({.id = "q"});
  c.Agent(Skilled("a1", {}));
  c.Contact({.id = "first", .queue = "q"});
  c.Advance(5);
  c.Contact({.id = "second", .queue = "q"});
  c.Advance(10);  // the offer of "first" to a1 times out at 15 s
  c.Drain();
  // a1 may not get "first" again yet, so it gets "second".
  CHECK(c.OfferedTo("a1") == "second");
  c.Agent(Skilled("a2", {}));
  c.Drain();
  CHECK(c.OfferedTo("a2") == "first");
  absl::StatusOr<QueueStats> stats = c.engine.GetQueueStats("q");
  CHECK(stats->offers == 3);
  CHECK(stats->offers_missed == 1);
}

TEST_CASE("A rejected contact is offered to the same agent again after the cool-down",
          "[routing][offers]") {
  Center c({.rona_cooldown = absl::Seconds(20), .max_consecutive_misses = 0});
  c.Queue({.id = "q"});
  c.Agent(Skilled("a1", {}));
  c.Contact({.id = "c1", .queue = "q"});
  REQUIRE(c.engine.Reject(c.now, "a1", "c1").ok());
  c.Drain();
  CHECK(c.OfferedTo("a1").empty());
  CHECK(c.engine.NextDeadline() == At(20));
  c.Advance(20);
  c.Drain();
  CHECK(c.OfferedTo("a1") == "c1");
}

TEST_CASE("A chat agent takes several chats but a voice call blocks everything",
          "[routing][multichannel]") {
  Center c;
  c.Queue({.id = "q"});
  AgentConfig agent = Skilled("a1", {});
  agent.capacity.Allow(Channel::kVoice, 1).Allow(Channel::kChat, 3);
  c.Agent(agent);
  for (int i = 0; i < 4; ++i) {
    c.Contact({.id = "chat" + std::to_string(i), .channel = Channel::kChat, .queue = "q"});
  }
  c.Contact({.id = "call", .channel = Channel::kVoice, .queue = "q"});
  c.Drain();
  CHECK(c.AgentOf("chat0") == "a1");
  CHECK(c.AgentOf("chat1") == "a1");
  CHECK(c.AgentOf("chat2") == "a1");
  CHECK(c.AgentOf("chat3").empty());
  CHECK(c.AgentOf("call").empty());  // chats block voice
  REQUIRE(c.engine.Accept(c.now, "a1", "chat0").ok());
  REQUIRE(c.engine.Complete(c.now, "a1", "chat0").ok());
  CHECK(c.AgentOf("chat3") == "a1");  // a chat slot freed; voice is still blocked
  CHECK(c.AgentOf("call").empty());
  for (const char* id : {"chat1", "chat2", "chat3"}) {
    REQUIRE(c.engine.Accept(c.now, "a1", id).ok());
    REQUIRE(c.engine.Complete(c.now, "a1", id).ok());
  }
  CHECK(c.AgentOf("call") == "a1");
}

TEST_CASE("The cost model shares one capacity between channels", "[routing][multichannel]") {
  Center c;
  c.Queue({.id = "q"});
  AgentConfig agent = Skilled("a1", {});
  agent.capacity.model = CapacityConfig::Model::kCost;
  agent.capacity.limit = {0, 5, 5, 0, 0, 0, 0, 0, 0};
  agent.capacity.blocks = {};
  agent.capacity.cost = {0, 40, 20, 0, 0, 0, 0, 0, 0};
  agent.capacity.total = 100;
  c.Agent(agent);
  c.Contact({.id = "chat1", .channel = Channel::kChat, .queue = "q"});
  c.Contact({.id = "chat2", .channel = Channel::kChat, .queue = "q"});
  c.Contact({.id = "mail1", .channel = Channel::kEmail, .queue = "q"});
  c.Contact({.id = "mail2", .channel = Channel::kEmail, .queue = "q"});
  CHECK(c.AgentOf("chat1") == "a1");
  CHECK(c.AgentOf("chat2") == "a1");
  CHECK(c.AgentOf("mail1") == "a1");  // 40 + 40 + 20 = 100
  CHECK(c.AgentOf("mail2").empty());
}

TEST_CASE("A contact waits for its preferred agent, then any agent will do",
          "[routing][preferred]") {
  Center c;
  c.Queue({.id = "q"});
  c.Agent(Skilled("other", {}));
  c.Agent(Skilled("mine", {}), false);
  c.Contact({.id = "c1", .queue = "q", .preferred_agent = "mine",
             .preferred_timeout = absl::Seconds(30)});
  c.Drain();
  CHECK(c.OfferedTo("other").empty());
  CHECK(c.engine.GetQueueStats("q")->waiting == 1);
  SECTION("the preferred agent gets it when it becomes free") {
    c.Advance(10);
    REQUIRE(c.engine.Login(c.now, "mine", true).ok());
    c.Drain();
    CHECK(c.OfferedTo("mine") == "c1");
  }
  SECTION("after the timeout another agent gets it") {
    c.Advance(30);
    c.Drain();
    CHECK(c.OfferedTo("other") == "c1");
  }
}

TEST_CASE("A full queue rejects a contact at entry as an outcome", "[routing][queues]") {
  Center c;
  c.Queue({.id = "q", .max_length = 1});
  c.Contact({.id = "c1", .queue = "q"});
  c.Contact({.id = "c2", .queue = "q"});
  c.Drain();
  CHECK_THAT(c.log.back(), Catch::Contains("contact_rejected") && Catch::Contains("c2"));
  absl::StatusOr<QueueStats> stats = c.engine.GetQueueStats("q");
  CHECK(stats->offered == 2);
  CHECK(stats->rejected == 1);
  CHECK(stats->waiting == 1);
  CHECK(c.engine.GetContact("c2").status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("Queue statistics follow answers and abandons", "[routing][stats]") {
  Center c;
  c.Queue({.id = "q", .service_level_threshold = absl::Seconds(20)});
  c.Agent(Skilled("a1", {}), false);
  c.Contact({.id = "fast", .queue = "q"});
  c.Contact({.id = "slow", .queue = "q"});
  c.Contact({.id = "gone", .queue = "q"});
  c.Advance(10);
  REQUIRE(c.engine.Abandon(c.now, "gone").ok());
  REQUIRE(c.engine.Login(c.now, "a1", true).ok());
  c.Drain();
  REQUIRE(c.OfferedTo("a1") == "fast");
  REQUIRE(c.engine.Accept(c.now, "a1", "fast").ok());  // waited 10 s
  c.Advance(30);
  CHECK(c.engine.GetQueueStats("q")->longest_wait == absl::Seconds(40));
  REQUIRE(c.engine.Complete(c.now, "a1", "fast").ok());
  c.Serve("a1");  // slow, waited 40 s
  absl::StatusOr<QueueStats> stats = c.engine.GetQueueStats("q");
  CHECK(stats->answered == 2);
  CHECK(stats->abandoned == 1);
  CHECK(stats->answered_within_threshold == 1);
  CHECK(stats->service_level == Approx(1.0 / 3));
  CHECK(stats->asa == absl::Seconds(25));
  CHECK(stats->waiting == 0);
}

TEST_CASE("Agent occupancy counts busy and wrap-up over logged-in time", "[routing][stats]") {
  Center c;
  c.Queue({.id = "q", .wrap_up = {.mode = WrapUpPolicy::Mode::kTimed,
                                   .duration = absl::Seconds(10)}});
  c.Agent(Skilled("a1", {}));
  c.Advance(10);
  c.Contact({.id = "c1", .queue = "q"});
  REQUIRE(c.engine.Accept(c.now, "a1", "c1").ok());
  c.Advance(20);
  REQUIRE(c.engine.Complete(c.now, "a1", "c1").ok());
  c.Advance(20);  // wrap-up ends at +10, then 10 s available
  absl::StatusOr<AgentStats> stats = c.engine.GetAgentStats("a1");
  CHECK(stats->state == AgentState::kAvailable);
  CHECK(stats->occupancy == Approx(30.0 / 50.0));
  CHECK(stats->contacts_handled == 1);
}

TEST_CASE("A rejected command changes nothing", "[routing][errors]") {
  Center c;
  c.Queue({.id = "q"});
  c.Agent(Skilled("a1", {}));
  c.Drain();
  CHECK(c.engine.AddContact(c.now, {.id = "c1", .queue = "missing"}).code() ==
        absl::StatusCode::kNotFound);
  CHECK(c.engine.AddContact(c.now, {.id = "", .queue = "q"}).code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(c.engine.AddContact(c.now, {.id = "c1", .queue = "q", .priority = 5000}).code() ==
        absl::StatusCode::kInvalidArgument);
  // A channel value outside the enum (a host's cast): refused, not used as an index.
  const absl::Status bad_channel = c.engine.AddContact(
      c.now, {.id = "c1", .channel = static_cast<Channel>(kChannelCount), .queue = "q"});
  CHECK(bad_channel.code() == absl::StatusCode::kInvalidArgument);
  CHECK(bad_channel.message() == "contact 'c1': channel 9 is not a channel (0..8)");
  AgentConfig heavy = Skilled("a2", {});
  heavy.weight = 2 * kMaxAgentWeight;
  const absl::Status too_heavy = c.engine.AddAgent(c.now, heavy);
  CHECK(too_heavy.code() == absl::StatusCode::kInvalidArgument);
  CHECK(too_heavy.message() == "agent 'a2': weight is 2000000; expected > 0 and <= 1000000");
  heavy.weight = std::numeric_limits<double>::infinity();
  CHECK(c.engine.AddAgent(c.now, heavy).code() == absl::StatusCode::kInvalidArgument);
  CHECK(c.engine.GetAgentStats("a2").status().code() == absl::StatusCode::kNotFound);
  CHECK(c.engine.AddQueue(c.now, {.id = "bad", .requirement = "support >="}).code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(c.engine.AddQueue(c.now, {.id = "q"}).code() == absl::StatusCode::kAlreadyExists);
  CHECK(c.engine.AdvanceTo(c.now - absl::Seconds(1)).code() == absl::StatusCode::kOutOfRange);
  CHECK(c.engine.DrainEvents().empty());
  CHECK(c.engine.GetQueueStats("q")->offered == 0);
  CHECK(c.engine.GetQueueStats("bad").status().code() == absl::StatusCode::kNotFound);
}

// Create is the only way to pass options, so no engine holds invalid ones.
static_assert(!std::is_constructible_v<Engine, EngineOptions>);
static_assert(!std::is_convertible_v<EngineOptions, Engine>);
static_assert(std::is_default_constructible_v<Engine>);
static_assert(std::is_nothrow_move_constructible_v<Engine>);
static_assert(std::is_nothrow_move_assignable_v<Engine>);
static_assert(!std::is_copy_constructible_v<Engine>);

TEST_CASE("Create refuses invalid options with no engine, naming the field", "[engine][errors]") {
  const auto refusal = [](auto change) {
    EngineOptions options;
    change(options);
    absl::StatusOr<Engine> engine = Engine::Create(options);
    REQUIRE_FALSE(engine.ok());
    CHECK(engine.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(engine.status() == ValidateOptions(options));
    return std::string(engine.status().message());
  };
  CHECK_THAT(refusal([](EngineOptions& o) { o.offer_timeout = absl::ZeroDuration(); }),
             Catch::StartsWith("offer_timeout"));
  CHECK_THAT(refusal([](EngineOptions& o) { o.rona_cooldown = -absl::Seconds(1); }),
             Catch::StartsWith("rona_cooldown"));
  CHECK_THAT(refusal([](EngineOptions& o) { o.reject_delay = -absl::Seconds(1); }),
             Catch::StartsWith("reject_delay"));
  CHECK_THAT(refusal([](EngineOptions& o) { o.timeout_delay = -absl::Seconds(1); }),
             Catch::StartsWith("timeout_delay"));
  CHECK_THAT(refusal([](EngineOptions& o) { o.aging_unit = absl::Hours(25); }),
             Catch::StartsWith("aging_unit"));
  CHECK_THAT(refusal([](EngineOptions& o) { o.occupancy_window = absl::ZeroDuration(); }),
             Catch::StartsWith("occupancy_window"));
  CHECK_THAT(refusal([](EngineOptions& o) { o.max_consecutive_misses = -1; }),
             Catch::StartsWith("max_consecutive_misses"));
  CHECK_THAT(refusal([](EngineOptions& o) { o.host_score_candidates = 0; }),
             Catch::StartsWith("host_score_candidates"));
  CHECK_THAT(refusal([](EngineOptions& o) { o.max_buffered_events = 0; }),
             Catch::StartsWith("max_buffered_events"));
}

TEST_CASE("Engine() and Create with valid options hold the options given", "[engine]") {
  CHECK(ValidateOptions(EngineOptions{}).ok());
  CHECK(Engine().options().offer_timeout == EngineOptions{}.offer_timeout);
  EngineOptions options;
  options.offer_timeout = absl::Seconds(7);
  options.max_buffered_events = 3;
  absl::StatusOr<Engine> created = Engine::Create(options);
  REQUIRE(created.ok());
  Engine engine = *std::move(created);  // moved out of the StatusOr, still the same engine
  CHECK(engine.options().offer_timeout == absl::Seconds(7));
  CHECK(engine.options().max_buffered_events == 3);
  CHECK(engine.AddQueue(kStart, {.id = "q"}).ok());
  CHECK(engine.GetQueueStats("q").ok());
}

TEST_CASE("Durations outside the engine's range are refused", "[engine][errors]") {
  for (absl::Duration bad : {absl::InfiniteDuration(), absl::Nanoseconds(10),
                             absl::Hours(200000), -absl::Seconds(1)}) {
    EngineOptions options;
    options.offer_timeout = bad;
    CHECK(Engine::Create(options).status().code() == absl::StatusCode::kInvalidArgument);
  }
  EngineOptions options;
  options.aging_unit = absl::Hours(48);
  CHECK(Engine::Create(options).status().code() == absl::StatusCode::kInvalidArgument);
  Center c;
  c.Queue({.id = "q"});
  AgentConfig agent = Skilled("a1", {});
  agent.auto_membership = false;
  agent.queues = {{.queue = "q", .delay = absl::InfiniteDuration()}};
  CHECK(c.engine.AddAgent(c.now, agent).code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("Weighted random leaves out the agents a contact is cooling down from",
          "[routing][strategy]") {
  // Each seed draws differently; in none may the contact go back to the agent that declined it
  // while the cool-down lasts, however heavy that agent is, and the weights are whole again
  // after the draw.
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Center c({.rona_cooldown = absl::Seconds(60), .seed = seed});
    c.Queue({.id = "q", .strategy = Strategy::kRandom});
    c.Queue({.id = "other", .strategy = Strategy::kRandom});
    AgentConfig heavy = Skilled("heavy", {});
    heavy.weight = 50;
    c.Agent(heavy);
    c.Agent(Skilled("light", {}));
    c.Agent(Skilled("spare", {}));
    c.Contact({.id = "c", .queue = "q"});
    const std::string first = c.AgentOf("c");
    REQUIRE_FALSE(first.empty());
    REQUIRE(c.engine.Reject(c.now, first, "c").ok());
    const std::string second = c.AgentOf("c");
    REQUIRE_FALSE(second.empty());
    CHECK(second != first);
    // The one that declined is back in the draw for other contacts.
    if (first == "heavy") {
      int heavy_picks = 0;
      for (int i = 0; i < 20; ++i) {
        const std::string id = "d" + std::to_string(i);
        c.Contact({.id = id, .queue = "other"});
        if (c.AgentOf(id) == "heavy") ++heavy_picks;
        c.Serve(c.AgentOf(id));
      }
      CHECK(heavy_picks > 0);
    }
  }
}

TEST_CASE("The same commands at the same times give the same events", "[engine][determinism]") {
  auto run = []() {
    Center c({.seed = 3});
    c.Queue({.id = "q", .strategy = Strategy::kRandom});
    for (int i = 0; i < 5; ++i) c.Agent(Skilled("a" + std::to_string(i), {}));
    for (int i = 0; i < 50; ++i) {
      c.Contact({.id = "c" + std::to_string(i), .queue = "q", .priority = i % 3});
      c.Advance(7);
      c.Drain();
      for (int a = 0; a < 5; ++a) {
        const std::string agent = "a" + std::to_string(a);
        const std::string contact = c.OfferedTo(agent);
        if (!contact.empty() && (i + a) % 4 != 0) c.Serve(agent);
      }
    }
    c.Drain();
    return c.log;
  };
  const std::vector<std::string> first = run();
  CHECK(first.size() > 100);
  CHECK(run() == first);
}

TEST_CASE("An event sink receives events instead of the buffer", "[engine][events]") {
  struct Collect : EventSink {
    void OnEvent(const Event& event) override { types.push_back(event.type); }
    std::vector<EventType> types;
  } sink;
  Engine engine;
  engine.SetEventSink(&sink);
  REQUIRE(engine.AddQueue(kStart, {.id = "q"}).ok());
  CHECK(sink.types == std::vector<EventType>{EventType::kQueueAdded});
  CHECK(engine.DrainEvents().empty());
}

}  // namespace
}  // namespace switchboard
