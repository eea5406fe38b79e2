// Transfers by agents: blind to a queue, direct to an agent with a timeout, and consult (the
// first agent keeps the contact while a second is reserved, then completes or cancels).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "center.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

using testing::Center;
using testing::Logged;
using testing::Skilled;

absl::Status Run(Center& c, CommandBody body) {
  return c.engine.Execute({.now = c.now, .actor = Actor::Host(), .body = std::move(body)});
}

// A center with a front-line queue and a billing queue, the contact c1 connected with "front".
Center Connected(QueueConfig front_queue = {.id = "front"}) {
  Center c;
  c.Queue(front_queue);
  c.Queue({.id = "billing", .requirement = "billing >= 1"});
  c.Agent(Skilled("front", {}));
  c.Contact({.id = "c1", .queue = "front"});
  c.Drain();
  REQUIRE(c.OfferedTo("front") == "c1");
  REQUIRE(c.engine.Accept(c.now, "front", "c1").ok());
  c.Drain();
  return c;
}

TEST_CASE("A blind transfer puts the contact in the target queue; it ends once, with its last "
          "agent",
          "[transfers]") {
  Center c = Connected({.id = "front", .wrap_up = {.mode = WrapUpPolicy::Mode::kTimed,
                                                   .duration = absl::Seconds(20)}});
  c.Advance(60);
  REQUIRE(Run(c, TransferContact{.agent = "front", .contact = "c1", .queue = "billing"}).ok());
  c.Drain();
  CHECK(Logged(c, "contact_transferred actor=host cause=command contact=c1 agent=front"));
  const ContactInfo info = *c.engine.GetContact("c1");
  CHECK(info.state == ContactState::kWaiting);
  CHECK(info.queue == "billing");
  CHECK(info.arrival == c.now);  // its wait in billing counts from the transfer
  CHECK(c.engine.GetAgentStats("front")->state == AgentState::kWrapUp);
  CHECK(c.engine.GetAgentStats("front")->transfers == 1);
  CHECK(c.engine.GetQueueStats("front")->transferred == 1);
  CHECK(c.engine.GetQueueStats("front")->completed == 0);
  CHECK(c.engine.GetQueueStats("billing")->offered == 1);
  c.Advance(10);
  c.Agent(Skilled("biller", {{"billing", 3}}));
  c.Drain();
  CHECK(c.OfferedTo("biller") == "c1");
  REQUIRE(c.engine.Accept(c.now, "biller", "c1").ok());
  CHECK(c.engine.GetQueueStats("billing")->asa == absl::Seconds(10));
  REQUIRE(c.engine.Complete(c.now, "biller", "c1").ok());
  CHECK(c.engine.GetQueueStats("billing")->completed == 1);
  CHECK(c.engine.GetContact("c1").status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("A direct transfer waits for the chosen agent, then for any after its timeout",
          "[transfers]") {
  Center c = Connected();
  c.Agent(Skilled("expert", {{"billing", 9}}));
  c.Agent(Skilled("other", {{"billing", 1}}));
  REQUIRE(c.engine.SetNotReady(c.now, "expert", "meeting").ok());
  CHECK(Run(c, TransferContact{.agent = "front", .contact = "c1", .to_agent = "front"}).code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(Run(c, TransferContact{.agent = "front", .contact = "c1", .queue = "billing",
                               .to_agent = "expert", .timeout = absl::ZeroDuration()})
            .code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(Run(c, TransferContact{.agent = "front", .contact = "c1", .queue = "billing",
                                 .to_agent = "expert", .timeout = absl::Seconds(30)})
              .ok());
  c.Drain();
  CHECK(c.engine.GetContact("c1")->held_for == "expert");
  CHECK(c.OfferedTo("other").empty());
  c.Advance(30);
  c.Drain();
  CHECK(c.OfferedTo("other") == "c1");
}

TEST_CASE("A transfer is refused when the contact is not the agent's or the target is full",
          "[transfers]") {
  Center c = Connected();
  REQUIRE(c.engine.AddQueue(c.now, {.id = "tiny", .max_length = 1}).ok());
  c.Contact({.id = "waiting", .queue = "tiny"});
  CHECK(Run(c, TransferContact{.agent = "front", .contact = "c1", .queue = "tiny"}).code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(Run(c, TransferContact{.agent = "front", .contact = "waiting", .queue = "billing"})
            .code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Run(c, TransferContact{.agent = "front", .contact = "c1", .queue = "nowhere"}).code() ==
        absl::StatusCode::kNotFound);
  CHECK(c.engine.GetContact("c1")->state == ContactState::kConnected);
}

TEST_CASE("A consult reserves the second agent; completing it hands the contact over",
          "[transfers]") {
  Center c = Connected();
  c.Agent(Skilled("senior", {}));
  c.Drain();
  REQUIRE(c.engine.Hold(c.now, "front", "c1").ok());
  REQUIRE(Run(c, StartConsult{.agent = "front", .contact = "c1", .to_agent = "senior"}).ok());
  CHECK(c.engine.GetAgentStats("senior")->state == AgentState::kBusy);
  CHECK(c.engine.GetAgentStats("front")->consults == 1);
  const std::vector<ContactInfo> held = *c.engine.GetAgentContacts("senior");
  REQUIRE(held.size() == 1);
  CHECK(held[0].id == "c1");
  CHECK(held[0].agent == "senior");
  // While it is open the contact is neither completed nor consulted again.
  CHECK(c.engine.Complete(c.now, "front", "c1").code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Run(c, StartConsult{.agent = "front", .contact = "c1", .to_agent = "senior"}).code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(c.engine.Complete(c.now, "senior", "c1").code() == absl::StatusCode::kFailedPrecondition);
  // A new contact does not go to the consulted agent.
  c.Contact({.id = "c2", .queue = "front"});
  c.Drain();
  CHECK(c.OfferedTo("senior").empty());
  REQUIRE(Run(c, CompleteConsult{.agent = "front", .contact = "c1"}).ok());
  c.Drain();
  CHECK(Logged(c, "consult_completed"));
  CHECK(c.engine.GetContact("c1")->agent == "senior");
  CHECK(c.engine.GetContact("c1")->state == ContactState::kConnected);
  CHECK(c.OfferedTo("front") == "c2");  // the first agent is free again
  REQUIRE(c.engine.Complete(c.now, "senior", "c1").ok());
  CHECK(c.engine.GetQueueStats("front")->completed == 1);
  CHECK(c.engine.GetAgentStats("front")->transfers == 1);
}

TEST_CASE("A cancelled consult frees the second agent; the contact stays", "[transfers]") {
  Center c = Connected();
  c.Agent(Skilled("senior", {}));
  CHECK(Run(c, StartConsult{.agent = "front", .contact = "c1", .to_agent = "front"}).code() ==
        absl::StatusCode::kInvalidArgument);
  REQUIRE(c.engine.SetNotReady(c.now, "senior", "break").ok());
  CHECK(Run(c, StartConsult{.agent = "front", .contact = "c1", .to_agent = "senior"}).code() ==
        absl::StatusCode::kFailedPrecondition);
  REQUIRE(c.engine.SetReady(c.now, "senior").ok());
  REQUIRE(Run(c, StartConsult{.agent = "front", .contact = "c1", .to_agent = "senior"}).ok());
  c.Contact({.id = "c2", .queue = "front"});
  CHECK(Run(c, CancelConsult{.agent = "other", .contact = "c1"}).code() ==
        absl::StatusCode::kNotFound);
  REQUIRE(Run(c, CancelConsult{.agent = "senior", .contact = "c1"}).ok());
  c.Drain();
  CHECK(Logged(c, "consult_cancelled"));
  CHECK(c.OfferedTo("senior") == "c2");  // free again: takes the waiting contact
  CHECK(c.engine.GetContact("c1")->agent == "front");
  CHECK(Run(c, CompleteConsult{.agent = "front", .contact = "c1"}).code() ==
        absl::StatusCode::kFailedPrecondition);
  REQUIRE(c.engine.Complete(c.now, "front", "c1").ok());
}

// Found by tests/invariants_test.cc (seed 22): the first direct transfer's timeout timer was
// still live when a later direct transfer held the contact again, and ended that hold early.
TEST_CASE("a second direct transfer holds the contact for its own timeout, not the first's",
          "[transfers][regression]") {
  Center c = Connected();
  c.Agent(Skilled("second", {}));
  c.Agent(Skilled("third", {}));
  c.Agent(Skilled("other", {}));
  REQUIRE(c.engine.SetNotReady(c.now, "third", "meeting").ok());
  REQUIRE(Run(c, TransferContact{.agent = "front", .contact = "c1", .to_agent = "second",
                                 .timeout = absl::Seconds(30)})
              .ok());
  c.Drain();
  REQUIRE(c.OfferedTo("second") == "c1");
  REQUIRE(c.engine.Accept(c.now, "second", "c1").ok());
  c.Advance(10);
  REQUIRE(Run(c, TransferContact{.agent = "second", .contact = "c1", .to_agent = "third",
                                 .timeout = absl::Seconds(60)})
              .ok());
  c.Drain();
  c.Advance(25);  // 35 s after the first transfer, 25 s into the second's 60 s
  c.Drain();
  CHECK(c.engine.GetContact("c1")->held_for == "third");
  CHECK(!Logged(c, "preferred_timed_out"));
  CHECK(c.OfferedTo("other").empty());
  c.Advance(35);  // the second's timeout: any agent now
  c.Drain();
  CHECK(Logged(c, "preferred_timed_out"));
  CHECK(c.engine.GetContact("c1")->held_for.empty());
}

// Found by tests/invariants_test.cc (seed 46): a contact connected in a queue that was then
// removed could be transferred without a target queue, into the removed queue, where it waited
// for no one.
TEST_CASE("a transfer without a target queue is refused once the contact's queue is removed",
          "[transfers][regression]") {
  Center c = Connected();
  c.Agent(Skilled("other", {}));
  REQUIRE(Run(c, RemoveQueue{.queue = "front"}).ok());
  CHECK(Run(c, TransferContact{.agent = "front", .contact = "c1"}).code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(Run(c, TransferContact{.agent = "front", .contact = "c1", .to_agent = "other"}).code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(c.engine.GetContact("c1")->state == ContactState::kConnected);
  REQUIRE(Run(c, TransferContact{.agent = "front", .contact = "c1", .queue = "billing"}).ok());
  CHECK(c.engine.GetContact("c1")->queue == "billing");
}

}  // namespace
}  // namespace switchboard
