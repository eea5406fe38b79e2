// Overflow rules and callbacks: each trigger, each action, the customer's answer, the transfer
// limit, and that every contact still leaves with exactly one outcome.
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
using testing::Logged;
using testing::Skilled;
using Trigger = OverflowRule::Trigger;
using Action = OverflowRule::Action;

QueueStats Stats(Center& c, const std::string& queue) {
  absl::StatusOr<QueueStats> stats = c.engine.GetQueueStats(queue);
  REQUIRE(stats.ok());
  return *stats;
}

OpeningHours OfficeHours();
absl::Time Utc(int y, int m, int d, int hh, int mm);

bool Gone(Center& c, const std::string& contact) {
  return absl::IsNotFound(c.engine.GetContact(contact).status());
}

TEST_CASE("A wait rule disconnects a contact that waited that long, by timer", "[overflow]") {
  Center c;
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kWait,
                         .wait = absl::Seconds(60),
                         .action = Action::kDisconnect,
                         .reason = "too_long"}}});
  c.Contact({.id = "c1", .queue = "q"});
  CHECK(c.engine.NextDeadline() == At(60));
  c.Advance(59.999);
  CHECK_FALSE(Gone(c, "c1"));
  c.Advance(0.001);
  c.Drain();
  CHECK(Gone(c, "c1"));
  CHECK(Logged(c, "contact_disconnected actor=system cause=overflow contact=c1 queue=q "
                  "reason=too_long outcome=disconnected wait=60.000000"));
  const QueueStats stats = Stats(c, "q");
  CHECK(stats.disconnected == 1);
  CHECK(stats.overflowed == 1);
  CHECK(stats.abandoned == 0);
  CHECK(stats.waiting == 0);
}

TEST_CASE("queue_length = 0 with disconnect turns the queue into a loss system", "[overflow]") {
  Center c;
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kQueueLength,
                         .queue_length = 0,
                         .action = Action::kDisconnect}}});
  c.Agent(Skilled("a1", {}));
  c.Contact({.id = "c1", .queue = "q"});  // taken at once: no rule
  c.Contact({.id = "c2", .queue = "q"});  // no agent free: lost at once
  c.Drain();
  CHECK(c.OfferedTo("a1") == "c1");
  CHECK(Gone(c, "c2"));
  CHECK(Logged(c, "contact_disconnected actor=host cause=command contact=c2 queue=q "
                  "reason=queue_length outcome=disconnected"));
  CHECK(Stats(c, "q").offered == 2);
  CHECK(Stats(c, "q").disconnected == 1);
}

TEST_CASE("queue_length = K lets K wait and overflows the next", "[overflow]") {
  Center c;
  c.Queue({.id = "spill"});
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kQueueLength,
                         .queue_length = 2,
                         .action = Action::kTransfer,
                         .target = "spill"}}});
  for (const char* id : {"c1", "c2", "c3"}) c.Contact({.id = id, .queue = "q"});
  CHECK(Stats(c, "q").waiting == 2);
  CHECK(Stats(c, "spill").waiting == 1);
  c.Drain();
  CHECK(Logged(c, "contact_transferred actor=host cause=command contact=c3 queue=q "
                  "reason=queue_length target=spill"));
  absl::StatusOr<ContactInfo> info = c.engine.GetContact("c3");
  REQUIRE(info.ok());
  CHECK(info->queue == "spill");
  CHECK(info->arrival == At(0));  // keeps its original arrival
  CHECK(Stats(c, "q").transferred == 1);
  CHECK(Stats(c, "q").overflowed == 1);
  CHECK(Stats(c, "spill").offered == 1);
}

TEST_CASE("A transferred contact is offered at once in the target and keeps its arrival",
          "[overflow]") {
  Center c;
  c.Queue({.id = "backup"});
  c.Queue({.id = "q",
           .requirement = "expert",
           .overflow = {{.trigger = Trigger::kWait,
                         .wait = absl::Seconds(30),
                         .action = Action::kTransfer,
                         .target = "backup"}}});
  c.Agent(Skilled("generalist", {{"general", 1}}));
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  CHECK(c.OfferedTo("generalist").empty());
  c.Advance(30);
  c.Drain();
  CHECK(c.OfferedTo("generalist") == "c1");
  REQUIRE(c.engine.Accept(c.now, "generalist", "c1").ok());
  CHECK(Stats(c, "backup").answered == 1);
  CHECK(absl::ToDoubleSeconds(Stats(c, "backup").asa) == Approx(30));
}

TEST_CASE("A wait rule that falls due while the contact rings applies if the offer fails",
          "[overflow]") {
  Center c;
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kWait,
                         .wait = absl::Seconds(10),
                         .action = Action::kVoicemail}}});
  c.Agent(Skilled("a1", {}));
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  REQUIRE(c.OfferedTo("a1") == "c1");
  c.Advance(12);  // the rule fell due at 10 s; the offer rings until 15 s
  CHECK_FALSE(Gone(c, "c1"));
  REQUIRE(c.engine.Reject(c.now, "a1", "c1").ok());
  c.Drain();
  CHECK(Gone(c, "c1"));
  CHECK(Logged(c, "contact_voicemail"));
  CHECK(Stats(c, "q").voicemail == 1);
}

TEST_CASE("An answered contact is not touched by its wait rule", "[overflow]") {
  Center c;
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kWait,
                         .wait = absl::Seconds(10),
                         .action = Action::kDisconnect}}});
  c.Agent(Skilled("a1", {}));
  c.Contact({.id = "c1", .queue = "q"});
  REQUIRE(c.engine.Accept(c.now, "a1", "c1").ok());
  c.Advance(20);
  CHECK(Stats(c, "q").disconnected == 0);
  CHECK(c.engine.Complete(c.now, "a1", "c1").ok());
}

TEST_CASE("Rules are tried in order; later wait rules fire later", "[overflow]") {
  Center c;
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kWait,
                         .wait = absl::Seconds(30),
                         .action = Action::kDeflect,
                         .target = "web",
                         .ask = true},
                        {.trigger = Trigger::kWait,
                         .wait = absl::Seconds(90),
                         .action = Action::kVoicemail}}});
  c.Contact({.id = "c1", .queue = "q"});
  c.Advance(30);
  c.Drain();
  CHECK(Logged(c, "overflow_offered actor=system cause=overflow contact=c1 queue=q "
                  "reason=deflect target=web"));
  // Declined: it keeps waiting; the next rule fires at 90 s.
  REQUIRE(c.engine.AnswerOverflow(c.now, "c1", false).ok());
  CHECK(absl::IsFailedPrecondition(c.engine.AnswerOverflow(c.now, "c1", true)));
  CHECK(c.engine.NextDeadline() == At(90));
  c.Advance(60);
  c.Drain();
  CHECK(Logged(c, "overflow_declined"));
  CHECK(Gone(c, "c1"));
  CHECK(Stats(c, "q").voicemail == 1);
  CHECK(Stats(c, "q").deflected == 0);
}

TEST_CASE("An accepted deflection ends the contact with the rule's target", "[overflow]") {
  Center c;
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kQueueLength,
                         .queue_length = 0,
                         .action = Action::kDeflect,
                         .target = "chatbot",
                         .ask = true}}});
  c.Contact({.id = "c1", .queue = "q"});
  CHECK(Stats(c, "q").waiting == 1);  // asked: waits until it answers
  REQUIRE(c.engine.AnswerOverflow(c.now, "c1", true).ok());
  c.Drain();
  CHECK(Logged(c, "contact_deflected actor=host cause=command contact=c1 queue=q "
                  "reason=queue_length target=chatbot outcome=deflected"));
  CHECK(Gone(c, "c1"));
  CHECK(Stats(c, "q").deflected == 1);
  CHECK(Stats(c, "q").waiting == 0);
}

TEST_CASE("An estimated-wait rule fires on arrival when the estimate reaches it", "[overflow]") {
  Center c(EngineOptions{.ewt_initial_interval = absl::Seconds(60)});
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kEstimatedWait,
                         .wait = absl::Seconds(150),
                         .action = Action::kDisconnect}}});
  c.Contact({.id = "c1", .queue = "q"});  // estimate 60 s
  c.Contact({.id = "c2", .queue = "q"});  // 120 s
  c.Contact({.id = "c3", .queue = "q"});  // 180 s: disconnected
  CHECK_FALSE(Gone(c, "c2"));
  CHECK(Gone(c, "c3"));
}

TEST_CASE("Look-ahead transfers only to a queue with a shorter estimated wait", "[overflow]") {
  Center c(EngineOptions{.ewt_initial_interval = absl::Seconds(60)});
  c.Queue({.id = "other"});
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kWait,
                         .wait = absl::Seconds(10),
                         .action = Action::kTransfer,
                         .target = "other",
                         .look_ahead = true}}});
  // "other" has two waiting: 180 s there against 60 s here.
  c.Contact({.id = "o1", .queue = "other"});
  c.Contact({.id = "o2", .queue = "other"});
  c.Contact({.id = "c1", .queue = "q"});
  c.Advance(10);
  CHECK(c.engine.GetContact("c1")->queue == "q");
  CHECK(Stats(c, "q").transferred == 0);
  // With "other" empty the next contact moves.
  REQUIRE(c.engine.Remove(c.now, "o1", "test").ok());
  REQUIRE(c.engine.Remove(c.now, "o2", "test").ok());
  c.Contact({.id = "c2", .queue = "q"});
  c.Advance(10);
  CHECK(c.engine.GetContact("c2")->queue == "other");
}

TEST_CASE("The transfer limit stops contacts bouncing between queues", "[overflow]") {
  Center c(EngineOptions{.max_transfers = 1});
  c.Queue({.id = "b"});
  c.Queue({.id = "a",
           .overflow = {{.trigger = Trigger::kWait,
                         .wait = absl::Seconds(5),
                         .action = Action::kTransfer,
                         .target = "b"}}});
  c.Queue({.id = "entry",
           .overflow = {{.trigger = Trigger::kWait,
                         .wait = absl::Seconds(5),
                         .action = Action::kTransfer,
                         .target = "a"}}});
  c.Contact({.id = "c1", .queue = "entry"});
  c.Advance(5);
  CHECK(c.engine.GetContact("c1")->queue == "a");
  c.Advance(5);
  c.Drain();
  CHECK(c.engine.GetContact("c1")->queue == "a");
  CHECK(Logged(c, "transfer_limit_hit actor=system cause=overflow contact=c1 queue=a "
                  "reason=wait target=b"));
}

TEST_CASE("A copy waits in a second queue; the first agent of either takes the contact",
          "[overflow][copy]") {
  Center c;
  c.Queue({.id = "backup", .requirement = "general"});
  c.Queue({.id = "q",
           .requirement = "expert",
           .overflow = {{.trigger = Trigger::kWait,
                         .wait = absl::Seconds(30),
                         .action = Action::kCopy,
                         .target = "backup"}}});
  c.Agent(Skilled("expert", {{"expert", 1}}), /*login=*/false);
  c.Agent(Skilled("generalist", {{"general", 1}}), /*login=*/false);
  c.Contact({.id = "c1", .queue = "q"});
  c.Contact({.id = "c2", .queue = "q"});
  c.Advance(30);
  c.Drain();
  CHECK(Logged(c, "contact_copied actor=system cause=overflow contact=c1 queue=q reason=wait "
                  "target=backup"));
  CHECK(Stats(c, "backup").waiting == 2);  // the copies
  CHECK(Stats(c, "q").waiting == 2);
  // Listed in both queues under their ids, each with its place there.
  const std::vector<ContactInfo> copies = *c.engine.GetQueueContacts("backup");
  REQUIRE(copies.size() == 2);
  CHECK(copies[0].id == "c1");
  CHECK(copies[0].queue == "backup");
  CHECK(copies[1].id == "c2");
  CHECK(copies[1].position == 2);
  // An expert frees up: c1 is taken in its own queue, its copy withdrawn.
  REQUIRE(c.engine.Login(c.now, "expert", true).ok());
  c.Drain();
  CHECK(c.OfferedTo("expert") == "c1");
  CHECK(Stats(c, "backup").waiting == 1);
  CHECK(Stats(c, "q").transferred == 0);
  // A generalist frees up: c2's copy is reached first, so c2 moves to "backup", keeping its
  // arrival, and is offered there.
  REQUIRE(c.engine.Login(c.now, "generalist", true).ok());
  c.Drain();
  CHECK(c.OfferedTo("generalist") == "c2");
  CHECK(Logged(c, "contact_transferred actor=host cause=command contact=c2 queue=q reason=copy "
                  "target=backup"));
  absl::StatusOr<ContactInfo> info = c.engine.GetContact("c2");
  REQUIRE(info.ok());
  CHECK(info->queue == "backup");
  CHECK(info->arrival == At(0));
  CHECK(Stats(c, "q").waiting == 0);
  CHECK(Stats(c, "backup").waiting == 0);
  CHECK(Stats(c, "q").transferred == 1);
  CHECK(Stats(c, "backup").offered == 1);
  REQUIRE(c.engine.Accept(c.now, "generalist", "c2").ok());
  CHECK(Stats(c, "backup").answered == 1);
}

TEST_CASE("A contact that leaves takes its copy with it", "[overflow][copy]") {
  Center c;
  c.Queue({.id = "backup"});
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kQueueLength,
                         .queue_length = 0,
                         .action = Action::kCopy,
                         .target = "backup"},
                        {.trigger = Trigger::kWait,
                         .wait = absl::Seconds(60),
                         .action = Action::kVoicemail}}});
  c.Contact({.id = "c1", .queue = "q"});
  c.Contact({.id = "c2", .queue = "q"});
  CHECK(Stats(c, "backup").waiting == 2);
  REQUIRE(c.engine.Abandon(c.now, "c1").ok());
  CHECK(Stats(c, "backup").waiting == 1);
  c.Advance(60);  // c2 goes to voicemail: its copy goes too
  CHECK(Gone(c, "c2"));
  CHECK(Stats(c, "backup").waiting == 0);
  CHECK(Stats(c, "backup").offered == 0);
  c.Agent(Skilled("a1", {}));
  c.Drain();
  CHECK(c.OfferedTo("a1").empty());
}

TEST_CASE("no_agents fires on arrival and when the last agent logs out", "[overflow]") {
  Center c;
  c.Queue({.id = "q",
           .requirement = "billing",
           .overflow = {{.trigger = Trigger::kNoAgents, .action = Action::kVoicemail}}});
  c.Contact({.id = "c1", .queue = "q"});
  CHECK(Gone(c, "c1"));
  c.Agent(Skilled("a1", {{"billing", 1}}));
  c.Agent(Skilled("other", {{"sales", 1}}));
  REQUIRE(c.engine.SetNotReady(c.now, "a1", "lunch").ok());
  c.Contact({.id = "c2", .queue = "q"});  // an agent is logged in, though not ready: waits
  CHECK_FALSE(Gone(c, "c2"));
  REQUIRE(c.engine.Logout(c.now, "other").ok());  // does not serve q
  CHECK(c.engine.NextDeadline() == std::nullopt);
  REQUIRE(c.engine.Logout(c.now, "a1").ok());
  CHECK(c.engine.NextDeadline() == c.now);
  c.Advance(0);
  CHECK(Gone(c, "c2"));
  CHECK(Stats(c, "q").voicemail == 2);
}

TEST_CASE("A keep-place callback keeps its place, is dialled by the agent, and connects",
          "[overflow][callback]") {
  Center c;
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kWait,
                         .wait = absl::Seconds(60),
                         .action = Action::kCallback}}});
  c.Agent(Skilled("a1", {}));
  c.Contact({.id = "busy", .queue = "q"});
  REQUIRE(c.engine.Accept(c.now, "a1", "busy").ok());
  c.Contact({.id = "c1", .queue = "q"});
  c.Advance(10);
  c.Contact({.id = "c2", .queue = "q"});
  c.Advance(50);  // c1 has waited 60 s: callback
  c.Drain();
  CHECK(Logged(c, "callback_accepted actor=system cause=overflow contact=c1"));
  CHECK(Stats(c, "q").callbacks == 1);
  CHECK(Stats(c, "q").waiting == 2);  // still in its place
  // A callback cannot be abandoned by patience any more, but c2 is still on the line.
  REQUIRE(c.engine.Complete(c.now, "a1", "busy").ok());
  c.Drain();
  CHECK(c.OfferedTo("a1") == "c1");  // ahead of c2
  REQUIRE(c.engine.Accept(c.now, "a1", "c1").ok());
  c.Drain();
  CHECK(Logged(c, "callback_dialing actor=host cause=command contact=c1 agent=a1"));
  CHECK(c.engine.GetContact("c1")->state == ContactState::kDialing);
  CHECK(Stats(c, "q").answered == 1);  // "busy" only: dialling is not an answer
  CHECK(absl::IsFailedPrecondition(c.engine.Complete(c.now, "a1", "c1")));
  c.Advance(5);
  REQUIRE(c.engine.ReportCallback(c.now, "c1", CallbackResult::kConnected).ok());
  CHECK(c.engine.GetContact("c1")->state == ContactState::kConnected);
  const QueueStats stats = Stats(c, "q");
  CHECK(stats.answered == 2);
  CHECK(stats.callbacks_connected == 1);
  REQUIRE(c.engine.Complete(c.now, "a1", "c1").ok());
}

TEST_CASE("A callback that is not answered retries, then fails with its own outcome",
          "[overflow][callback]") {
  Center c;
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kQueueLength,
                         .queue_length = 0,
                         .action = Action::kCallback,
                         .callback = {.retries = 1, .retry_after = absl::Minutes(5)}}}});
  c.Agent(Skilled("a1", {}), /*login=*/false);
  c.Contact({.id = "c1", .queue = "q"});
  REQUIRE(c.engine.Login(c.now, "a1", true).ok());
  REQUIRE(c.engine.Accept(c.now, "a1", "c1").ok());
  REQUIRE(c.engine.ReportCallback(c.now, "c1", CallbackResult::kNoAnswer).ok());
  c.Drain();
  CHECK(Logged(c, "callback_attempt_failed actor=host cause=command contact=c1 agent=a1 queue=q "
                  "reason=no_answer deadline=1700000300.000000"));
  // The agent is free, and the callback waits out its spacing.
  CHECK(c.engine.GetAgentStats("a1")->state == AgentState::kAvailable);
  CHECK(c.engine.NextDeadline() == At(300));
  c.Advance(300);
  c.Drain();
  CHECK(Logged(c, "callback_due actor=system cause=callback_due contact=c1 queue=q"));
  CHECK(c.OfferedTo("a1") == "c1");
  REQUIRE(c.engine.Accept(c.now, "a1", "c1").ok());
  REQUIRE(c.engine.ReportCallback(c.now, "c1", CallbackResult::kBusy).ok());
  c.Drain();
  CHECK(Logged(c, "callback_failed actor=host cause=command contact=c1 agent=a1 queue=q "
                  "reason=busy outcome=callback_failed"));
  CHECK(Gone(c, "c1"));
  const QueueStats stats = Stats(c, "q");
  CHECK(stats.callbacks == 1);
  CHECK(stats.callbacks_failed == 1);
  CHECK(stats.abandoned == 0);
  CHECK(stats.answered == 0);
}

TEST_CASE("A scheduled callback comes back later on the callback channel", "[overflow][callback]") {
  Center c;
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kWait,
                         .wait = absl::Seconds(30),
                         .action = Action::kCallback,
                         .callback = {.mode = CallbackPolicy::Mode::kScheduled,
                                      .after = absl::Hours(2),
                                      .priority = 3}}}});
  c.Contact({.id = "c1", .queue = "q"});
  c.Advance(30);
  c.Drain();
  CHECK(Logged(c, "callback_scheduled actor=system cause=overflow contact=c1 queue=q "
                  "deadline=1700007230.000000"));
  CHECK(Stats(c, "q").waiting == 0);
  AgentConfig agent = Skilled("a1", {});
  agent.capacity.limit[static_cast<int>(Channel::kCallback)] = 1;
  c.Agent(agent);
  c.Drain();
  CHECK(c.OfferedTo("a1").empty());
  c.Advance(7200);
  c.Drain();
  CHECK(c.OfferedTo("a1") == "c1");
  absl::StatusOr<ContactInfo> info = c.engine.GetContact("c1");
  REQUIRE(info.ok());
  CHECK(info->channel == Channel::kCallback);
  CHECK(info->priority == 3);
}

TEST_CASE("A customer may choose the time of a scheduled callback", "[overflow][callback]") {
  Center c;
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kQueueLength,
                         .queue_length = 0,
                         .action = Action::kCallback,
                         .ask = true,
                         .callback = {.mode = CallbackPolicy::Mode::kScheduled,
                                      .after = absl::Hours(2)}}}});
  c.Contact({.id = "c1", .queue = "q"});
  CHECK(absl::IsInvalidArgument(
      c.engine.AnswerOverflow(c.now, "c1", true, Actor::Host(), c.now - absl::Seconds(1))));
  REQUIRE(c.engine.AnswerOverflow(c.now, "c1", true, Actor::Host(), At(5400)).ok());
  c.Drain();
  CHECK(Logged(c, "callback_scheduled actor=host cause=command contact=c1 queue=q "
                  "deadline=1700005400.000000"));
  CHECK(c.engine.NextDeadline() == At(5400));
}

TEST_CASE("Every wait rule that falls due while the contact rings applies when the offer fails",
          "[overflow][regression]") {
  Center c(EngineOptions{.offer_timeout = absl::Seconds(60)});
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kWait,
                         .wait = absl::Seconds(30),
                         .action = Action::kDeflect,
                         .target = "web",
                         .ask = true},
                        {.trigger = Trigger::kWait,
                         .wait = absl::Seconds(60),
                         .action = Action::kDisconnect}}});
  c.Agent(Skilled("a1", {}), /*login=*/false);
  c.Contact({.id = "c1", .queue = "q"});
  c.Advance(25);
  REQUIRE(c.engine.Login(c.now, "a1", true).ok());  // offered at 25 s, rings until 85 s
  c.Advance(60);
  c.Drain();
  // Both rules fell due while it rang: the offer first, then, at once, the disconnection.
  CHECK(Logged(c, "overflow_offered"));
  c.Advance(0);
  CHECK(Gone(c, "c1"));
  CHECK(Stats(c, "q").disconnected == 1);
  CHECK(absl::IsNotFound(c.engine.AnswerOverflow(c.now, "c1", true)));
}

TEST_CASE("A scheduled callback of a contact held for its preferred agent waits its time",
          "[overflow][regression]") {
  Center c;
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kWait,
                         .wait = absl::Minutes(1),
                         .action = Action::kCallback,
                         .callback = {.mode = CallbackPolicy::Mode::kScheduled,
                                      .after = absl::Minutes(30)}}}});
  AgentConfig agent = Skilled("p", {});
  agent.capacity.limit[static_cast<int>(Channel::kCallback)] = 1;
  c.Agent(agent, /*login=*/false);
  c.Contact({.id = "c1", .queue = "q", .preferred_agent = "p",
             .preferred_timeout = absl::Minutes(10)});
  c.Advance(60);  // the callback is scheduled for 31 min
  CHECK(c.engine.NextDeadline() == At(31 * 60));
  REQUIRE(c.engine.Login(c.now, "p", true).ok());
  c.Advance(10 * 60);  // the preferred timeout has no say any more
  c.Drain();
  CHECK(c.OfferedTo("p").empty());
  c.Advance(20 * 60);
  c.Drain();
  CHECK(c.OfferedTo("p") == "c1");
  CHECK(c.engine.GetContact("c1")->channel == Channel::kCallback);
}

TEST_CASE("A contact added with an earlier arrival into a closed queue meets the closed rule",
          "[overflow][hours][regression]") {
  Center c;
  c.now = Utc(2026, 3, 6, 23, 0);  // closed
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kClosed, .action = Action::kVoicemail},
                        {.trigger = Trigger::kWait, .wait = absl::Minutes(1),
                         .action = Action::kDisconnect}},
           .hours = OfficeHours()});
  c.Contact({.id = "c1", .queue = "q", .arrival = c.now - absl::Minutes(2)});
  CHECK(Gone(c, "c1"));
  CHECK(Stats(c, "q").disconnected + Stats(c, "q").voicemail == 1);
}

TEST_CASE("Bad overflow rules are refused and change nothing", "[overflow]") {
  Center c;
  c.Queue({.id = "other"});
  auto refused = [&](OverflowRule rule, std::string_view message) {
    absl::Status status = c.engine.AddQueue(c.now, {.id = "q", .overflow = {rule}});
    CHECK_FALSE(status.ok());
    CHECK(std::string(status.message()) == message);
    CHECK(absl::IsNotFound(c.engine.GetQueueStats("q").status()));
  };
  refused({.trigger = Trigger::kWait, .action = Action::kDisconnect},
          "queue 'q': overflow[0].wait is 0; expected a duration of at least 1us and at most "
          "100000h");
  refused({.trigger = Trigger::kQueueLength, .queue_length = -1},
          "queue 'q': overflow[0].queue_length is -1; expected >= 0");
  refused({.trigger = Trigger::kQueueLength, .action = Action::kTransfer, .target = "nowhere"},
          "queue 'q': overflow[0].target: unknown queue 'nowhere'");
  refused({.trigger = Trigger::kQueueLength, .action = Action::kTransfer},
          "queue 'q': overflow[0]: a transfer needs a target (the queue's id)");
  refused({.trigger = Trigger::kClosed, .action = Action::kVoicemail},
          "queue 'q': overflow[0]: the closed trigger needs the queue's opening hours (hours)");
  refused({.trigger = Trigger::kQueueLength, .action = Action::kTransfer, .target = "q"},
          "queue 'q': overflow[0]: a queue cannot transfer to itself");
  refused({.trigger = Trigger::kQueueLength, .action = Action::kDeflect},
          "queue 'q': overflow[0]: a deflection needs a target (where the host sends the "
          "customer)");
  refused({.trigger = Trigger::kQueueLength, .action = Action::kVoicemail, .target = "x"},
          "queue 'q': overflow[0]: target is only for transfer, copy and deflect");
  refused({.trigger = Trigger::kQueueLength, .action = Action::kVoicemail, .ask = true},
          "queue 'q': overflow[0]: ask is only for callback and deflect");
  refused({.trigger = Trigger::kQueueLength,
           .action = Action::kCallback,
           .callback = {.retries = kMaxCallbackRetries + 1}},
          "queue 'q': overflow[0].callback.retries is 11; expected 0..10");
  refused({.trigger = Trigger::kQueueLength,
           .action = Action::kCallback,
           .callback = {.mode = CallbackPolicy::Mode::kScheduled}},
          "queue 'q': overflow[0].callback.after is 0; expected a duration of at least 1us and "
          "at most 100000h");
  refused({.trigger = static_cast<Trigger>(9)},
          "queue 'q': overflow[0].trigger 9 is not a trigger (0..4)");
  QueueConfig many{.id = "q"};
  many.overflow.resize(kMaxOverflowRules + 1, {.trigger = Trigger::kQueueLength});
  CHECK(absl::IsInvalidArgument(c.engine.AddQueue(c.now, many)));
}

TEST_CASE("Answering without an offer, or reporting a call not dialled, is refused",
          "[overflow]") {
  Center c;
  c.Queue({.id = "q"});
  c.Contact({.id = "c1", .queue = "q"});
  CHECK(std::string(c.engine.AnswerOverflow(c.now, "c1", true).message()) ==
        "contact 'c1' has no overflow offer waiting for an answer");
  CHECK(std::string(c.engine.ReportCallback(c.now, "c1", CallbackResult::kConnected).message()) ==
        "contact 'c1' is waiting; only a callback being dialled has a result");
  CHECK(absl::IsNotFound(c.engine.AnswerOverflow(c.now, "nobody", true)));
  CHECK(absl::IsInvalidArgument(
      c.engine.ReportCallback(c.now, "c1", static_cast<CallbackResult>(7))));
}

// Weekdays 09:00-17:00 in New York.
OpeningHours OfficeHours() {
  OpeningHours hours{.zone = "America/New_York"};
  for (int day = 0; day < 5; ++day) hours.weekly[day] = {{9 * 60, 17 * 60}};
  return hours;
}

absl::Time Utc(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), absl::UTCTimeZone());
}

TEST_CASE("A closed queue sends arrivals to its closed rule, even with agents free",
          "[overflow][hours]") {
  Center c;
  c.now = Utc(2026, 3, 6, 23, 0);  // Friday 18:00 EST: closed
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kClosed, .action = Action::kVoicemail}},
           .hours = OfficeHours()});
  c.Agent(Skilled("a1", {}));
  CHECK_FALSE(c.engine.GetQueueStats("q")->open);
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  CHECK(Gone(c, "c1"));
  CHECK(Logged(c, "contact_voicemail actor=host cause=command contact=c1 queue=q reason=closed"));
  CHECK(c.OfferedTo("a1").empty());
}

TEST_CASE("Opening hours follow daylight saving, and closing applies the rule to those waiting",
          "[overflow][hours]") {
  Center c;
  c.now = Utc(2026, 3, 6, 21, 0);  // Friday 16:00 EST: open
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kClosed, .action = Action::kDisconnect,
                         .reason = "after_hours"}},
           .hours = OfficeHours()});
  CHECK(c.engine.GetQueueStats("q")->open);
  c.Contact({.id = "c1", .queue = "q"});  // no agent: waits
  CHECK(c.engine.NextDeadline() == Utc(2026, 3, 6, 22, 0));  // 17:00 EST
  c.now = Utc(2026, 3, 6, 22, 0);
  REQUIRE(c.engine.AdvanceTo(c.now).ok());
  c.Drain();
  CHECK(Logged(c, "queue_closed actor=system cause=opening_hours queue=q"));
  CHECK(Logged(c, "contact_disconnected actor=system cause=opening_hours contact=c1 queue=q "
                  "reason=after_hours outcome=disconnected"));
  // Clocks go forward on Sunday 8 March: Monday's 09:00 is EDT, 13:00 UTC.
  CHECK(c.engine.NextDeadline() == Utc(2026, 3, 9, 13, 0));
  c.now = Utc(2026, 3, 9, 13, 0);
  REQUIRE(c.engine.AdvanceTo(c.now).ok());
  CHECK(c.engine.GetQueueStats("q")->open);
  c.Contact({.id = "c2", .queue = "q"});
  CHECK_FALSE(Gone(c, "c2"));
}

TEST_CASE("A contact the closed rule leaves waiting is routed as in an open queue",
          "[overflow][hours]") {
  Center c;
  c.now = Utc(2026, 3, 6, 23, 0);  // closed
  c.Queue({.id = "q",
           .overflow = {{.trigger = Trigger::kClosed,
                         .action = Action::kDeflect,
                         .target = "web",
                         .ask = true}},
           .hours = OfficeHours()});
  c.Drain();
  CHECK(Logged(c, "queue_closed actor=host cause=command queue=q"));  // added closed
  c.Agent(Skilled("a1", {}));
  c.Contact({.id = "c1", .queue = "q"});
  c.Drain();
  CHECK(Logged(c, "overflow_offered"));  // asked first; while it has not answered, an agent
  CHECK(c.OfferedTo("a1") == "c1");      // logged in may take it
}

TEST_CASE("Bad opening hours are refused with the queue's name", "[overflow][hours]") {
  Center c;
  OpeningHours hours{.zone = "Mars/Base"};
  absl::Status status = c.engine.AddQueue(c.now, {.id = "q", .hours = hours});
  CHECK(std::string(status.message()) == "queue 'q': unknown time zone 'Mars/Base'");
  CHECK(absl::IsNotFound(c.engine.GetQueueStats("q").status()));
}

}  // namespace
}  // namespace switchboard
