// What a supervisor sees: the queues and agents, a queue's waiting contacts in the order it offers
// them, and whether each agent may be offered a contact now, and if not why.
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "center.h"
#include "switchboard/limits.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

using testing::Center;
using testing::Skilled;

std::vector<std::string> Ids(const std::vector<ContactInfo>& contacts) {
  std::vector<std::string> ids;
  for (const ContactInfo& contact : contacts) ids.push_back(contact.id);
  return ids;
}

std::string NotRoutable(Center& c, const std::string& agent) {
  const AgentStats stats = *c.engine.GetAgentStats(agent);
  CHECK(stats.routable == stats.not_routable_reason.empty());
  return stats.not_routable_reason;
}

TEST_CASE("Queues and agents are listed in the order they were added", "[supervision]") {
  Center c;
  c.Queue({.id = "sales"});
  c.Queue({.id = "support",
           .requirement = "support >= 5",
           .steps = {{.after = absl::Seconds(30), .requirement = "support >= 1"}}});
  c.Queue({.id = "billing"});
  c.Agent(Skilled("zoe", {{"support", 5}}), /*login=*/false);
  c.Agent(Skilled("adam", {}), /*login=*/false);
  CHECK(c.engine.ListQueues() == std::vector<std::string>{"sales", "support", "billing"});
  CHECK(c.engine.ListAgents() == std::vector<std::string>{"zoe", "adam"});
}

TEST_CASE("A queue lists its waiting contacts in the order it offers them", "[supervision]") {
  Center c;
  c.Queue({.id = "q", .steps = {{.after = absl::Seconds(30), .requirement = ""}}});
  c.Agent(Skilled("a1", {}), /*login=*/false);
  c.Contact({.id = "early", .queue = "q"});
  c.Advance(1);
  c.Contact({.id = "chat", .channel = Channel::kChat, .queue = "q"});
  c.Advance(1);
  c.Contact({.id = "urgent", .queue = "q", .priority_class = 1});
  c.Contact({.id = "held",
             .queue = "q",
             .preferred_agent = "a1",
             .preferred_timeout = absl::Minutes(5)});
  c.Advance(1);
  c.Contact({.id = "late", .queue = "q"});
  c.Advance(28);  // "early" has waited 31 s: its step; the others not yet
  const std::vector<ContactInfo> waiting = *c.engine.GetQueueContacts("q");
  // The higher class first, then by arrival across channels; the held contact last.
  REQUIRE(Ids(waiting) == std::vector<std::string>{"urgent", "early", "chat", "late", "held"});
  CHECK(waiting[0].position == 1);  // voice: urgent, early, late; then held at the back
  CHECK(waiting[1].position == 2);
  CHECK(waiting[2].position == 1);  // the first chat
  CHECK(waiting[3].position == 3);
  CHECK(waiting[4].position == 4);
  CHECK(waiting[4].held_for == "a1");
  CHECK(waiting[1].step == 1);
  CHECK(waiting[0].step == 0);
  for (const ContactInfo& contact : waiting) {
    // The listing agrees with what GetContact says of each.
    const ContactInfo one = *c.engine.GetContact(contact.id);
    CHECK(one.position == contact.position);
    CHECK(one.estimated_wait == contact.estimated_wait);
    CHECK(one.step == contact.step);
  }
  CHECK(absl::IsNotFound(c.engine.GetQueueContacts("nowhere").status()));
  // a1 takes the most urgent contact it may, the higher class before the one held for it;
  // offered, a contact leaves the listing and has no position.
  REQUIRE(c.engine.Login(c.now, "a1", /*ready=*/true).ok());
  const ContactInfo offered = *c.engine.GetContact("urgent");
  CHECK(offered.state == ContactState::kOffered);
  CHECK(offered.position == 0);
  CHECK(Ids(*c.engine.GetQueueContacts("q")) ==
        std::vector<std::string>{"early", "chat", "late", "held"});
  CHECK(c.engine.GetContact("held")->position == 3);
}

TEST_CASE("An agent's stats say whether it may be offered a contact, and if not why",
          "[supervision]") {
  Center c;  // offer_timeout 15 s, timeout_delay 10 s
  c.Queue({.id = "q"});
  c.Agent(Skilled("a1", {}), /*login=*/false);
  CHECK(NotRoutable(c, "a1") == "logged_out");
  REQUIRE(c.engine.Login(c.now, "a1", /*ready=*/false).ok());
  CHECK(NotRoutable(c, "a1") == "not_ready");
  REQUIRE(c.engine.SetReady(c.now, "a1").ok());
  CHECK(NotRoutable(c, "a1").empty());
  c.Contact({.id = "c1", .queue = "q"});  // rings at a1: voice only, so no room for another
  CHECK(NotRoutable(c, "a1") == "at_capacity");
  c.Advance(15);  // no answer: the pause after a missed offer
  CHECK(NotRoutable(c, "a1") == "missed_offer");
  c.Advance(10);  // the pause ends; c1 may ring at a1 again after its cool-down (60 s)
  CHECK(NotRoutable(c, "a1").empty());
  c.Advance(50);
  REQUIRE(c.engine.Accept(c.now, "a1", "c1").ok());
  REQUIRE(c.engine.SetNotReady(c.now, "a1", "lunch", /*after_contacts=*/true).ok());
  CHECK(NotRoutable(c, "a1") == "pending_change");
}

std::string ReasonOf(const Explanation& explanation, const std::string& agent) {
  for (const Explanation::Agent& verdict : explanation.agents) {
    if (verdict.id == agent) return verdict.reason;
  }
  return "(not listed)";
}

TEST_CASE("Explain says, agent by agent, why a contact is still waiting", "[supervision]") {
  Center c;  // offer_timeout 15 s, timeout_delay 10 s, rona_cooldown 60 s
  c.Queue({.id = "q",
           .requirement = "support >= 5",
           .steps = {{.after = absl::Minutes(5), .requirement = "support >= 1"}}});
  c.Queue({.id = "other"});
  c.Agent(Skilled("expert", {{"support", 5}}));
  c.Agent(Skilled("junior", {{"support", 2}}));  // serves q's step only
  c.Agent(Skilled("away", {{"support", 9}}), /*login=*/false);
  AgentConfig late = Skilled("late", {{"support", 6}});
  late.auto_membership = false;
  late.queues = {{.queue = "q", .delay = absl::Minutes(2)}};
  c.Agent(late);
  c.Agent(Skilled("outsider", {}), /*login=*/false);  // meets no requirement of q: not listed
  c.Contact({.id = "c1", .queue = "q"});  // rings at expert (idle longest)
  c.Contact({.id = "c2", .queue = "q"});  // expert is busy: c2 waits
  c.Advance(15);  // c1 is not answered: back to waiting, cooling down for expert
  const Explanation why = *c.engine.Explain("c1");
  CHECK(why.requirement == "support >= 5");
  CHECK(why.contact.position == 1);
  CHECK(ReasonOf(why, "expert") == "missed_offer");  // paused 10 s after the missed offer
  CHECK(ReasonOf(why, "junior") == "requirement");
  CHECK(ReasonOf(why, "away") == "logged_out");
  CHECK(ReasonOf(why, "late") == "queue_delay");
  CHECK(ReasonOf(why, "outsider") == "(not listed)");
  // The next change: expert's pause ends by a command only, so late's delay (2 min after arrival).
  REQUIRE(why.next_change.has_value());
  CHECK(*why.next_change == testing::kStart + absl::Minutes(2));
  CHECK(why.text.find("c1 waits in q (voice), position 1, step 0") == 0);
  CHECK(why.text.find("\n  late: queue_delay until") != std::string::npos);
  c.Advance(10);  // expert's pause has ended: c2 rings there (c1 cools down for expert)
  REQUIRE(c.engine.Accept(c.now, "expert", "c2").ok());
  REQUIRE(c.engine.Complete(c.now, "expert", "c2").ok());  // free, but not for c1 yet
  const Explanation later = *c.engine.Explain("c1");
  CHECK(ReasonOf(later, "expert") == "cooling_down");
  CHECK(later.agents[0].until == testing::kStart + absl::Seconds(15 + 60));
  // Only a waiting contact is explained.
  c.Contact({.id = "c3", .queue = "other"});  // junior is free and serves "other"
  REQUIRE(c.engine.GetContact("c3")->state == ContactState::kOffered);
  const absl::Status offered = c.engine.Explain("c3").status();
  CHECK(absl::IsFailedPrecondition(offered));
  CHECK(std::string(offered.message()) == "contact 'c3' is offered; only a waiting contact is "
                                          "explained");
  CHECK(absl::IsNotFound(c.engine.Explain("nobody").status()));
}

TEST_CASE("An agent's contacts include those in wrap-up", "[supervision]") {
  Center c;
  c.Queue({.id = "q", .wrap_up = {.mode = WrapUpPolicy::Mode::kUntilAgentEnds}});
  AgentConfig agent = Skilled("a1", {});
  agent.capacity.Allow(Channel::kChat, 2);
  c.Agent(agent);
  c.Contact({.id = "c1", .channel = Channel::kChat, .queue = "q"});
  REQUIRE(c.engine.Accept(c.now, "a1", "c1").ok());
  REQUIRE(c.engine.Complete(c.now, "a1", "c1").ok());  // wrap-up until the agent ends it
  c.Contact({.id = "c2", .channel = Channel::kChat, .queue = "q"});
  const std::vector<ContactInfo> held = *c.engine.GetAgentContacts("a1");
  REQUIRE(Ids(held) == std::vector<std::string>{"c2", "c1"});
  CHECK(held[0].state == ContactState::kOffered);
  CHECK(held[1].state == ContactState::kWrapUp);
  CHECK(held[1].queue == "q");
  CHECK(held[1].channel == Channel::kChat);
  CHECK(ContactStateName(held[1].state) == "wrap_up");
  REQUIRE(c.engine.EndWrapUp(c.now, "a1").ok());
  CHECK(Ids(*c.engine.GetAgentContacts("a1")) == std::vector<std::string>{"c2"});
}

TEST_CASE("Dispositions are counted per queue and agent, and end contact_completed",
          "[supervision]") {
  Center c;
  c.Queue({.id = "q"});
  c.Agent(Skilled("a1", {}));
  auto serve = [&](const std::string& id, const std::string& disposition) {
    c.Contact({.id = id, .queue = "q"});
    REQUIRE(c.engine.Accept(c.now, "a1", id).ok());
    const absl::Status done =
        c.engine.Execute({c.now, Actor::Host(), CompleteContact{"a1", id, disposition}});
    REQUIRE(done.ok());
  };
  serve("c1", "resolved");
  serve("c2", "escalated");
  serve("c3", "resolved");
  serve("c4", "");  // none given: counted as completed only
  using Counts = std::map<std::string, int64_t, std::less<>>;
  const Counts expected = {{"escalated", 1}, {"resolved", 2}};
  CHECK(c.engine.GetQueueStats("q")->dispositions == expected);
  CHECK(c.engine.GetQueueStats("q")->completed == 4);
  CHECK(c.engine.GetAgentStats("a1")->dispositions == expected);
  c.Drain();
  CHECK(testing::Logged(c, "contact_completed actor=host cause=command contact=c2 agent=a1 "
                           "queue=q reason=escalated outcome=completed"));
  // A bad code is refused and changes nothing: c5 stays connected.
  c.Contact({.id = "c5", .queue = "q"});
  REQUIRE(c.engine.Accept(c.now, "a1", "c5").ok());
  const absl::Status refused = c.engine.Execute(
      {c.now, Actor::Host(), CompleteContact{"a1", "c5", std::string(kMaxTextBytes + 1, 'x')}});
  CHECK(absl::IsInvalidArgument(refused));
  CHECK(c.engine.GetContact("c5")->state == ContactState::kConnected);
  CHECK(c.engine.GetQueueStats("q")->completed == 4);
}

TEST_CASE("A contact on hold for its queue's max_hold raises hold_limit_reached once per hold",
          "[supervision]") {
  Center c;
  c.Queue({.id = "q", .max_hold = absl::Minutes(2)});
  c.Agent(Skilled("a1", {}));
  c.Contact({.id = "c1", .queue = "q"});
  REQUIRE(c.engine.Accept(c.now, "a1", "c1").ok());
  REQUIRE(c.engine.Execute({c.now, Actor::Host(), HoldContact{"a1", "c1"}}).ok());
  CHECK(c.engine.NextDeadline() == c.now + absl::Minutes(2));
  c.Advance(60);  // resumed and held again within the limit: the limit counts from the new hold
  REQUIRE(c.engine.Execute({c.now, Actor::Host(), ResumeContact{"a1", "c1"}}).ok());
  REQUIRE(c.engine.Execute({c.now, Actor::Host(), HoldContact{"a1", "c1"}}).ok());
  c.Advance(90);  // 150 s after the first hold, 90 s into this one: nothing yet
  c.Drain();
  CHECK_FALSE(testing::Logged(c, "hold_limit_reached"));
  c.Advance(30);
  c.Drain();
  CHECK(testing::Logged(c, "hold_limit_reached actor=system cause=hold_limit contact=c1 "
                           "agent=a1 queue=q"));
  CHECK(c.engine.GetContact("c1")->state == ContactState::kOnHold);  // the host decides
  // A bad limit is refused with the queue's name.
  const absl::Status bad = c.engine.AddQueue(c.now, {.id = "r", .max_hold = absl::Seconds(-1)});
  CHECK(absl::IsInvalidArgument(bad));
  CHECK(std::string(bad.message()).rfind("queue 'r': max_hold", 0) == 0);
}

}  // namespace
}  // namespace switchboard

namespace switchboard {
namespace {

TEST_CASE("explain(offer) gives the strategy's key of the agent and of the runner-up",
          "[supervision]") {
  testing::Center c;
  c.Queue({.id = "q", .requirement = "x >= 1", .strategy = Strategy::kMostSkilled});
  c.Agent(testing::Skilled("good", {{"x", 3}}));
  c.Agent(testing::Skilled("best", {{"x", 9}}));
  c.Agent(testing::Skilled("fair", {{"x", 5}}));
  c.Contact({.id = "c1", .queue = "q"});
  const OfferExplanation why = *c.engine.ExplainOffer("c1");
  CHECK(why.agent == "best");
  CHECK(why.strategy == "most_skilled");
  CHECK(why.agent_key == "skill score 9 on the queue's requirement");
  CHECK(why.runner_up == "fair");
  CHECK(why.runner_up_key == "skill score 5 on the queue's requirement");
  CHECK(why.text.find("Next now: fair") != std::string::npos);
  CHECK(c.engine.ExplainOffer("nobody").status().code() == absl::StatusCode::kNotFound);
  REQUIRE(c.engine.Accept(c.now, "best", "c1").ok());
  CHECK(c.engine.ExplainOffer("c1").status().code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("explain(offer) under longest idle names the agent idle longest next", "[supervision]") {
  testing::Center c;
  c.Queue({.id = "q"});
  c.Agent(testing::Skilled("first", {}));
  c.Advance(10);
  c.Agent(testing::Skilled("second", {}));
  c.Advance(5);
  c.Contact({.id = "c1", .queue = "q"});
  const OfferExplanation why = *c.engine.ExplainOffer("c1");
  CHECK(why.agent == "first");
  CHECK(why.agent_key == "free since 2023-11-14T22:13:20+00:00 (15 s before now)");
  CHECK(why.runner_up == "second");
  CHECK(why.runner_up_key == "free since 2023-11-14T22:13:30+00:00 (5 s before now)");
}

}  // namespace
}  // namespace switchboard
