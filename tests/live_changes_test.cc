// A live center changes: agents and queues updated and removed while contacts wait, and the
// supervisor's commands on waiting contacts (move, priority, assign).
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

absl::Status Run(Center& c, CommandBody body, Actor actor = Actor::Host()) {
  return c.engine.Execute({.now = c.now, .actor = std::move(actor), .body = std::move(body)});
}

std::vector<std::string> Ids(const std::vector<ContactInfo>& contacts) {
  std::vector<std::string> ids;
  for (const ContactInfo& contact : contacts) ids.push_back(contact.id);
  return ids;
}

TEST_CASE("An agent given a skill serves the queue at once and takes its waiting contact",
          "[live]") {
  Center c;
  c.Queue({.id = "es", .requirement = "spanish >= 3"});
  c.Agent(Skilled("a1", {{"english", 5}}));
  c.Contact({.id = "c1", .queue = "es"});
  c.Drain();
  CHECK(c.OfferedTo("a1").empty());
  REQUIRE(Run(c, UpdateAgent{.agent = "a1",
                             .skills = std::map<std::string, int, std::less<>>{
                                 {"english", 5}, {"spanish", 4}}})
              .ok());
  c.Drain();
  CHECK(c.OfferedTo("a1") == "c1");
  CHECK(Logged(c, "agent_updated"));
  CHECK(*c.engine.GetAgentQueues("a1") == std::vector<std::string>{"es"});
}

TEST_CASE("An agent that loses a skill stops serving the queue; the last one leaving fires "
          "its no_agents rule",
          "[live]") {
  Center c;
  c.Queue({.id = "es",
           .requirement = "spanish >= 3",
           .overflow = {{.trigger = OverflowRule::Trigger::kNoAgents,
                         .action = OverflowRule::Action::kVoicemail}}});
  c.Agent(Skilled("a1", {{"spanish", 5}}));
  c.Agent(Skilled("busy", {{"spanish", 5}}));
  c.Contact({.id = "first", .queue = "es"});
  c.Drain();
  REQUIRE(c.OfferedTo("a1") == "first");
  REQUIRE(c.engine.Accept(c.now, "a1", "first").ok());
  c.Contact({.id = "waits", .queue = "es"});
  c.Drain();
  REQUIRE(c.OfferedTo("busy") == "waits");
  REQUIRE(c.engine.Reject(c.now, "busy", "waits").ok());
  REQUIRE(c.engine.SetNotReady(c.now, "busy", "lunch").ok());
  REQUIRE(c.engine.Logout(c.now, "busy").ok());
  // a1 loses Spanish while connected: it keeps its contact, and the queue has no agent left.
  REQUIRE(Run(c, UpdateAgent{.agent = "a1", .skills = std::map<std::string, int, std::less<>>{}})
              .ok());
  CHECK(c.engine.GetAgentQueues("a1")->empty());
  c.Advance(1);
  c.Drain();
  CHECK(Logged(c, "contact_voicemail"));
  CHECK(c.engine.GetContact("first")->state == ContactState::kConnected);
}

TEST_CASE("A refused agent update changes nothing and says what was wrong", "[live]") {
  Center c;
  c.Queue({.id = "q"});
  AgentConfig config = Skilled("a1", {{"x", 5}});
  config.capacity.limit = {1, 0, 0, 0};
  c.Agent(config);
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  REQUIRE(c.engine.Accept(c.now, "a1", "c1").ok());
  const absl::Status bad_level = Run(
      c, UpdateAgent{.agent = "a1", .skills = std::map<std::string, int, std::less<>>{{"x", 0}}});
  CHECK(bad_level.code() == absl::StatusCode::kInvalidArgument);
  CapacityConfig chat_only;
  chat_only.limit = {0, 0, 2, 0};
  const absl::Status no_voice = Run(c, UpdateAgent{.agent = "a1", .capacity = chat_only});
  CHECK(no_voice.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(std::string(no_voice.message()).find("voice") != std::string::npos);
  CHECK(Run(c, UpdateAgent{.agent = "nobody"}).code() == absl::StatusCode::kNotFound);
  CHECK(*c.engine.GetAgentQueues("a1") == std::vector<std::string>{"q"});
  CHECK(c.engine.GetAgentStats("a1")->state == AgentState::kBusy);
}

TEST_CASE("Automatic membership and listed queues combine: listed settings, other queues too",
          "[live]") {
  Center c;
  c.Queue({.id = "sales"});
  c.Queue({.id = "support"});
  AgentConfig config = Skilled("a1", {});
  config.queues = {{.queue = "support", .priority = 5}};  // auto_membership stays on
  c.Agent(config, /*login=*/false);
  CHECK(*c.engine.GetAgentQueues("a1") == std::vector<std::string>{"support", "sales"});
  // Explicit only: exactly the listed queue.
  REQUIRE(Run(c, UpdateAgent{.agent = "a1", .auto_membership = false}).ok());
  CHECK(*c.engine.GetAgentQueues("a1") == std::vector<std::string>{"support"});
}

TEST_CASE("A logged-out agent is removed; contacts that waited for it go to any agent",
          "[live]") {
  Center c;
  c.Queue({.id = "q"});
  c.Agent(Skilled("gone", {}));
  c.Agent(Skilled("other", {}), /*login=*/false);
  REQUIRE(c.engine.SetNotReady(c.now, "gone", "break").ok());
  c.Contact({.id = "c1", .queue = "q", .preferred_agent = "gone",
             .preferred_timeout = absl::Minutes(10)});
  CHECK(Run(c, RemoveAgent{"gone"}).code() == absl::StatusCode::kFailedPrecondition);
  REQUIRE(c.engine.Logout(c.now, "gone").ok());
  REQUIRE(c.engine.Login(c.now, "other", /*ready=*/true).ok());
  c.Drain();
  CHECK(c.OfferedTo("other").empty());  // held for "gone"
  REQUIRE(Run(c, RemoveAgent{"gone"}).ok());
  c.Drain();
  CHECK(c.OfferedTo("other") == "c1");
  CHECK(c.engine.ListAgents() == std::vector<std::string>{"other"});
  CHECK(c.engine.GetAgentStats("gone").status().code() == absl::StatusCode::kNotFound);
  // The id is free again.
  c.Agent(Skilled("gone", {}), /*login=*/false);
  CHECK(c.engine.ListAgents() == std::vector<std::string>{"other", "gone"});
}

TEST_CASE("A queue's new requirement and strategy apply to the contacts already waiting",
          "[live]") {
  Center c;
  c.Queue({.id = "q", .requirement = "billing >= 5"});
  c.Agent(Skilled("junior", {{"billing", 2}}));
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  CHECK(c.OfferedTo("junior").empty());
  QueueConfig relaxed{.id = "q", .requirement = "billing >= 1", .strategy = Strategy::kMostSkilled};
  REQUIRE(Run(c, UpdateQueue{relaxed}).ok());
  c.Drain();
  CHECK(c.OfferedTo("junior") == "c1");
  CHECK(Logged(c, "queue_updated"));
}

TEST_CASE("A refused queue update changes nothing", "[live]") {
  Center c;
  c.Queue({.id = "q", .requirement = "x >= 1",
           .steps = {{.after = absl::Seconds(30), .requirement = ""}}});
  c.Agent(Skilled("a1", {{"x", 1}}));
  CHECK(Run(c, UpdateQueue{{.id = "q", .requirement = "x >= 1"}}).code() ==
        absl::StatusCode::kFailedPrecondition);  // one step less
  CHECK(Run(c, UpdateQueue{{.id = "q", .requirement = "x >=",
                            .steps = {{.after = absl::Seconds(30), .requirement = ""}}}})
            .code() == absl::StatusCode::kInvalidArgument);
  CHECK(Run(c, UpdateQueue{{.id = "nope"}}).code() == absl::StatusCode::kNotFound);
  CHECK(c.engine.GetQueueStats("q").ok());
  CHECK(*c.engine.GetAgentQueues("a1") == std::vector<std::string>{"q"});
}

TEST_CASE("New wait rules count from each contact's entry; rules already passed never fire",
          "[live]") {
  Center c;
  c.Queue({.id = "q"});
  c.Queue({.id = "backup"});
  c.Contact({.id = "old", .queue = "q"});
  c.Advance(40);
  c.Contact({.id = "young", .queue = "q"});
  c.Advance(10);
  // "old" has waited 50 s, "young" 10 s; a 30 s transfer rule arrives.
  QueueConfig updated{.id = "q",
                      .overflow = {{.trigger = OverflowRule::Trigger::kWait,
                                    .wait = absl::Seconds(30),
                                    .action = OverflowRule::Action::kTransfer,
                                    .target = "backup"}}};
  REQUIRE(Run(c, UpdateQueue{updated}).ok());
  c.Advance(19);
  CHECK(c.engine.GetContact("young")->queue == "q");
  c.Advance(1);
  CHECK(c.engine.GetContact("young")->queue == "backup");
  CHECK(c.engine.GetContact("old")->queue == "q");
  c.Advance(600);
  CHECK(c.engine.GetContact("old")->queue == "q");
}

// Found by tests/invariants_test.cc (seed 110 of the transfers' run): a contact offered as it
// arrived has its wait rules armed when its offer fails; an update while it rang had already
// passed a rule (its wait since its arrival was over), which then fired all the same.
TEST_CASE("a wait rule an update passed while the contact rang does not fire when the offer fails",
          "[live][regression]") {
  Center c;
  c.Queue({.id = "backup"});
  const QueueConfig q{.id = "q",
                      .overflow = {{.trigger = OverflowRule::Trigger::kWait,
                                    .wait = absl::Seconds(49),
                                    .action = OverflowRule::Action::kTransfer,
                                    .target = "backup"}}};
  c.Queue(q);
  c.Agent(Skilled("a1", {}));
  c.Advance(300);
  // Arrived 300 s ago (past the rule), offered at once to the free agent.
  c.Contact({.id = "c1", .queue = "q", .arrival = c.now - absl::Seconds(300)});
  c.Drain();
  REQUIRE(c.OfferedTo("a1") == "c1");
  REQUIRE(Run(c, UpdateQueue{q}).ok());  // the rule's time has passed: it never fires for c1
  REQUIRE(c.engine.Reject(c.now, "a1", "c1").ok());
  c.Drain();
  CHECK(c.engine.GetContact("c1")->queue == "q");
  CHECK(!Logged(c, "contact_transferred"));
}

TEST_CASE("A queue is removed: refused while contacts wait, or its contacts move", "[live]") {
  Center c;
  c.Queue({.id = "old"});
  c.Queue({.id = "new"});
  c.Queue({.id = "feeder",
           .overflow = {{.trigger = OverflowRule::Trigger::kWait, .wait = absl::Seconds(60),
                         .action = OverflowRule::Action::kTransfer, .target = "old"}}});
  AgentConfig listed = Skilled("a1", {});
  listed.auto_membership = false;
  listed.queues = {{.queue = "old"}, {.queue = "new"}};
  c.Agent(listed, /*login=*/false);
  c.Contact({.id = "c1", .queue = "old"});
  c.Advance(5);
  c.Contact({.id = "c2", .queue = "old"});
  const absl::Status held = Run(c, RemoveQueue{.queue = "old"});
  CHECK(held.code() == absl::StatusCode::kFailedPrecondition);
  INFO(held.message());
  CHECK(std::string(held.message()).find("feeder") != std::string::npos);
  QueueConfig feeder{.id = "feeder"};
  REQUIRE(Run(c, UpdateQueue{feeder}).ok());
  CHECK(Run(c, RemoveQueue{.queue = "old"}).code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Run(c, RemoveQueue{.queue = "old", .move_to = "old"}).code() ==
        absl::StatusCode::kInvalidArgument);
  REQUIRE(Run(c, RemoveQueue{.queue = "old", .move_to = "new"}, Actor::Supervisor("sue")).ok());
  c.Drain();
  CHECK(c.engine.ListQueues() == std::vector<std::string>{"new", "feeder"});
  CHECK(Ids(*c.engine.GetQueueContacts("new")) == std::vector<std::string>{"c1", "c2"});
  CHECK(c.engine.GetContact("c1")->arrival == testing::kStart);
  CHECK(*c.engine.GetAgentQueues("a1") == std::vector<std::string>{"new"});
  CHECK(c.engine.GetQueueStats("old").status().code() == absl::StatusCode::kNotFound);
  CHECK(Logged(c, "queue_removed actor=supervisor:sue"));
  // The id may be used again.
  c.Queue({.id = "old"});
  CHECK(c.engine.GetQueueStats("old")->offered == 0);
}

TEST_CASE("A supervisor moves a waiting contact to another queue, keeping its arrival",
          "[live]") {
  Center c;
  c.Queue({.id = "sales"});
  c.Queue({.id = "vip", .requirement = "vip >= 1"});
  c.Agent(Skilled("v1", {{"vip", 1}}), /*login=*/false);
  c.Contact({.id = "c1", .queue = "sales"});
  c.Advance(30);
  REQUIRE(c.engine.Login(c.now, "v1", /*ready=*/false).ok());
  REQUIRE(Run(c, MoveContact{.contact = "c1", .queue = "vip"}, Actor::Supervisor("sue")).ok());
  c.Drain();
  CHECK(Logged(c, "contact_transferred actor=supervisor:sue cause=command contact=c1"));
  CHECK(c.engine.GetContact("c1")->queue == "vip");
  CHECK(c.engine.GetContact("c1")->arrival == testing::kStart);
  CHECK(c.engine.GetQueueStats("sales")->transferred == 1);
  CHECK(c.engine.GetQueueStats("sales")->overflowed == 0);
  CHECK(c.engine.GetQueueStats("vip")->offered == 1);
  CHECK(Run(c, MoveContact{.contact = "c1", .queue = "vip"}).code() ==
        absl::StatusCode::kFailedPrecondition);
  REQUIRE(c.engine.SetReady(c.now, "v1").ok());
  c.Drain();
  CHECK(c.OfferedTo("v1") == "c1");
  CHECK(Run(c, MoveContact{.contact = "c1", .queue = "sales"}).code() ==
        absl::StatusCode::kFailedPrecondition);  // ringing
}

TEST_CASE("A supervisor raises a waiting contact's priority: it moves ahead at once", "[live]") {
  Center c;
  c.Queue({.id = "q"});
  c.Contact({.id = "first", .queue = "q"});
  c.Advance(10);
  c.Contact({.id = "second", .queue = "q"});
  CHECK(Ids(*c.engine.GetQueueContacts("q")) == std::vector<std::string>{"first", "second"});
  REQUIRE(Run(c, SetContactPriority{.contact = "second", .priority = 1}).ok());  // 60 s earlier
  CHECK(Ids(*c.engine.GetQueueContacts("q")) == std::vector<std::string>{"second", "first"});
  CHECK(c.engine.GetContact("second")->priority == 1);
  REQUIRE(Run(c, SetContactPriority{.contact = "first", .priority = 0, .priority_class = 2}).ok());
  CHECK(Ids(*c.engine.GetQueueContacts("q")) == std::vector<std::string>{"first", "second"});
  CHECK(Run(c, SetContactPriority{.contact = "first", .priority = kMaxPriority + 1}).code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(c.engine.GetQueueStats("q")->waiting == 2);
}

TEST_CASE("A supervisor hands a chosen waiting contact to a chosen agent", "[live]") {
  Center c;
  c.Queue({.id = "q", .requirement = "x >= 5"});
  c.Agent(Skilled("novice", {{"x", 1}}));
  c.Agent(Skilled("resting", {{"x", 9}}), /*login=*/false);
  c.Contact({.id = "older", .queue = "q"});
  c.Advance(5);
  c.Contact({.id = "chosen", .queue = "q"});
  CHECK(Run(c, AssignContact{.contact = "chosen", .agent = "resting"}).code() ==
        absl::StatusCode::kFailedPrecondition);  // logged out
  REQUIRE(Run(c, AssignContact{.contact = "chosen", .agent = "novice"},
              Actor::Supervisor("sue"))
              .ok());
  c.Drain();
  CHECK(c.OfferedTo("novice") == "chosen");
  CHECK(Logged(c, "contact_assigned actor=supervisor:sue cause=command contact=chosen agent=novice"));
  CHECK(Run(c, AssignContact{.contact = "older", .agent = "novice"}).code() ==
        absl::StatusCode::kFailedPrecondition);  // no room: it rings with "chosen"
  REQUIRE(c.engine.Accept(c.now, "novice", "chosen").ok());
  CHECK(c.engine.GetQueueStats("q")->answered == 1);
}

}  // namespace
}  // namespace switchboard
