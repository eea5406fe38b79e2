// Multi-offer: a contact of a queue with ring_agents > 1 rings at several free agents at once;
// the first accept wins and the other offers are withdrawn; each miss is an agent's own.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "center.h"
#include "switchboard/limits.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

using testing::Center;
using testing::Logged;
using testing::Skilled;

// The agents `contact` was offered to, in the order of the events drained so far.
std::vector<std::string> RungAt(const Center& c, const std::string& contact) {
  std::vector<std::string> agents;
  const std::string offered = "contact_offered";
  for (const std::string& line : c.log) {
    if (line.find(offered) == std::string::npos ||
        line.find("contact=" + contact + " ") == std::string::npos) {
      continue;
    }
    const size_t at = line.find("agent=") + 6;
    agents.push_back(line.substr(at, line.find(' ', at) - at));
  }
  return agents;
}

int Count(const Center& c, const std::string& text) {
  int n = 0;
  for (const std::string& line : c.log) n += line.find(text) != std::string::npos ? 1 : 0;
  return n;
}

AgentState StateOf(Center& c, const std::string& agent) {
  return c.engine.GetAgentStats(agent)->state;
}

// Queue "chat" ringing at up to `ring` agents, and agents a1..a<n> freed in that order (longest
// idle first).
Center RingCenter(int ring, int n, EngineOptions options = {}) {
  Center c(options);
  c.Queue({.id = "chat", .ring_agents = ring});
  for (int i = 1; i <= n; ++i) {
    c.Agent(Skilled("a" + std::to_string(i), {}));
    c.Advance(1);
  }
  return c;
}

TEST_CASE("A contact rings at up to ring_agents free agents, the strategy's best first",
          "[multi_offer]") {
  Center c = RingCenter(3, 4);
  c.Contact({.id = "c1", .queue = "chat"});
  c.Drain();
  CHECK(RungAt(c, "c1") == std::vector<std::string>{"a1", "a2", "a3"});
  for (const char* agent : {"a1", "a2", "a3"}) CHECK(StateOf(c, agent) == AgentState::kReserved);
  CHECK(StateOf(c, "a4") == AgentState::kAvailable);
  CHECK(c.engine.GetAgentContacts("a2")->front().id == "c1");
  CHECK(c.engine.GetQueueStats("chat")->offers == 3);
}

TEST_CASE("The first accept wins; the other offers are withdrawn and their agents are free",
          "[multi_offer]") {
  Center c = RingCenter(3, 3);
  c.Contact({.id = "c1", .queue = "chat"});
  c.Contact({.id = "c2", .queue = "chat"});  // waits: everybody rings for c1
  c.Drain();
  REQUIRE(c.engine.Accept(c.now, "a2", "c1").ok());
  c.Drain();
  CHECK(c.AgentOf("c1") == "a2");
  CHECK(c.engine.GetContact("c1")->state == ContactState::kConnected);
  CHECK(Count(c, "offer_withdrawn actor") == 2);
  CHECK(Logged(c, "offer_withdrawn actor=host cause=command contact=c1 agent=a1 queue=chat "
                  "reason=accepted_by_another"));
  CHECK(Logged(c, "contact=c1 agent=a3 queue=chat reason=accepted_by_another"));
  // a1 and a3, free again, take the next contact in turn: a1 takes c2, ringing at a1 alone
  // (an agent freeing up takes the contact it is owed), and a3 stays free.
  CHECK(RungAt(c, "c2") == std::vector<std::string>{"a1"});
  CHECK(StateOf(c, "a3") == AgentState::kAvailable);
  // The one that accepted too late is told the contact is gone.
  CHECK(c.engine.Accept(c.now, "a3", "c1").code() == absl::StatusCode::kFailedPrecondition);
  CHECK(c.engine.GetAgentStats("a2")->contacts_handled == 1);
}

TEST_CASE("An agent that rejects misses its own offer; the contact rings on at the others",
          "[multi_offer]") {
  EngineOptions options;
  options.rona_cooldown = absl::Seconds(60);
  options.max_consecutive_misses = 0;
  Center c = RingCenter(2, 2, options);
  c.Contact({.id = "c1", .queue = "chat"});
  c.Drain();
  REQUIRE(RungAt(c, "c1") == std::vector<std::string>{"a1", "a2"});
  REQUIRE(c.engine.Reject(c.now, "a1", "c1").ok());  // the first chosen rejects
  c.Drain();
  CHECK(c.engine.GetContact("c1")->state == ContactState::kOffered);
  CHECK(c.AgentOf("c1") == "a2");
  CHECK(StateOf(c, "a1") == AgentState::kAvailable);
  CHECK(c.engine.GetQueueStats("chat")->offers_missed == 1);
  // The last one rejects too: the contact waits, cooling down for both.
  REQUIRE(c.engine.Reject(c.now, "a2", "c1").ok());
  c.Drain();
  CHECK(c.engine.GetContact("c1")->state == ContactState::kWaiting);
  CHECK(c.engine.GetQueueStats("chat")->offers_missed == 2);
  c.Advance(60);
  c.Drain();
  // Once their cool-downs end, the first agent free for it takes it, ringing at that one alone.
  CHECK(RungAt(c, "c1") == std::vector<std::string>{"a1", "a2", "a1"});
}

TEST_CASE("Ringing out: every agent misses it, and the contact waits again", "[multi_offer]") {
  EngineOptions options;
  options.offer_timeout = absl::Seconds(15);
  options.rona_cooldown = absl::Seconds(60);
  Center c = RingCenter(3, 3, options);
  c.Contact({.id = "c1", .queue = "chat"});
  c.Advance(15);
  c.Drain();
  CHECK(Count(c, "offer_timed_out actor") == 3);
  CHECK(c.engine.GetContact("c1")->state == ContactState::kWaiting);
  CHECK(c.engine.GetQueueStats("chat")->offers_missed == 3);
  for (const char* agent : {"a1", "a2", "a3"}) {
    CHECK(c.engine.GetAgentStats(agent)->not_ready_reason != "");  // the RONA pause
  }
}

TEST_CASE("A contact that leaves while ringing withdraws every offer", "[multi_offer]") {
  Center c = RingCenter(3, 3);
  c.Contact({.id = "c1", .queue = "chat"});
  REQUIRE(c.engine.Abandon(c.now, "c1").ok());
  c.Drain();
  CHECK(Count(c, "offer_withdrawn actor") == 3);
  for (const char* agent : {"a1", "a2", "a3"}) CHECK(StateOf(c, agent) == AgentState::kAvailable);
}

TEST_CASE("A multichannel agent rings once per contact, and an agent freeing up takes one",
          "[multi_offer]") {
  Center c;
  c.Queue({.id = "chat", .ring_agents = 3});
  AgentConfig roomy = Skilled("roomy", {});
  roomy.capacity.limit = {0, 3, 0, 0};
  c.Agent(roomy);
  c.Contact({.id = "c1", .channel = Channel::kChat, .queue = "chat"});
  c.Contact({.id = "c2", .channel = Channel::kChat, .queue = "chat"});
  c.Drain();
  CHECK(RungAt(c, "c1") == std::vector<std::string>{"roomy"});
  CHECK(RungAt(c, "c2") == std::vector<std::string>{"roomy"});
}

TEST_CASE("Random and round-robin queues ring at distinct agents", "[multi_offer]") {
  for (Strategy strategy : {Strategy::kRandom, Strategy::kRoundRobin, Strategy::kMostSkilled}) {
    Center c;
    c.Queue({.id = "chat", .strategy = strategy, .ring_agents = 3});
    for (const char* agent : {"a1", "a2", "a3"}) c.Agent(Skilled(agent, {}));
    c.Contact({.id = "c1", .queue = "chat"});
    c.Drain();
    std::vector<std::string> rung = RungAt(c, "c1");
    std::sort(rung.begin(), rung.end());
    CHECK(rung == std::vector<std::string>{"a1", "a2", "a3"});
  }
}

TEST_CASE("ExplainOffer's runner-up is an agent the contact does not ring at", "[multi_offer]") {
  Center c = RingCenter(2, 3);
  c.Contact({.id = "c1", .queue = "chat"});
  c.Drain();
  REQUIRE(RungAt(c, "c1") == std::vector<std::string>{"a1", "a2"});
  absl::StatusOr<OfferExplanation> why = c.engine.ExplainOffer("c1");
  REQUIRE(why.ok());
  CHECK(why->agent == "a1");
  CHECK(why->runner_up == "a3");
}

TEST_CASE("ring_agents out of range is refused", "[multi_offer]") {
  Engine engine;
  CHECK(engine.AddQueue(testing::At(0), {.id = "q", .ring_agents = 0}).message() ==
        "queue 'q': ring_agents is 0; expected 1..8");
  CHECK(engine.AddQueue(testing::At(0), {.id = "q", .ring_agents = kMaxRingAgents + 1})
            .code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace switchboard
