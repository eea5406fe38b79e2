// Reserve agents: a queue's reserve members take its contacts only while its reserve policy says
// the queue is short of staff, with hysteresis between activation and deactivation.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "center.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

using testing::At;
using testing::Center;
using testing::Logged;
using testing::Skilled;

AgentConfig Reserve(std::string id, std::string queue) {
  AgentConfig config = Skilled(std::move(id), {});
  config.queues = {{.queue = std::move(queue), .reserve = true}};
  return config;
}

// Queue "q" with `policy`, a regular agent "regular" busy with "first", and the reserve agent
// "backup" available.
Center BusyCenter(const ReservePolicy& policy) {
  Center c;
  c.Queue({.id = "q", .reserve = policy});
  c.Agent(Skilled("regular", {}));
  c.Agent(Reserve("backup", "q"));
  c.Contact({.id = "first", .queue = "q"});
  c.Drain();
  REQUIRE(c.OfferedTo("regular") == "first");
  REQUIRE(c.engine.Accept(c.now, "regular", "first").ok());
  return c;
}

bool Active(Center& c) { return c.engine.GetQueueStats("q")->reserve_active; }

TEST_CASE("A reserve agent takes a contact once the oldest wait reaches the activation wait, at "
          "the next check",
          "[reserve]") {
  Center c = BusyCenter({.activate_wait = absl::Seconds(30),
                         .deactivate_wait = absl::Seconds(5),
                         .check_every = absl::Seconds(5)});
  c.Advance(2);
  c.Contact({.id = "c2", .queue = "q"});  // arrives at +2
  c.Drain();
  CHECK(c.OfferedTo("backup").empty());
  // Checks at +5, +10, ..., while c2 waits; the one at +35 sees 33 s >= 30 s.
  CHECK(c.engine.NextDeadline() == At(5));
  c.Advance(30);  // +32
  c.Drain();
  CHECK(c.OfferedTo("backup").empty());
  CHECK(!Active(c));
  c.Advance(3);  // +35
  c.Drain();
  CHECK(c.OfferedTo("backup") == "c2");
  CHECK(Logged(c, "reserve_activated actor=system cause=reserve_check queue=q"));
  CHECK(Logged(c, "reason=service_level=1.00 oldest_wait=33s"));
  CHECK(Active(c));
  // Nobody waits now (0 s <= 5 s): the next check deactivates it.
  c.Advance(5);
  c.Drain();
  CHECK(Logged(c, "reserve_deactivated"));
  CHECK(!Active(c));
  CHECK(c.engine.NextDeadline() != At(45));  // no checks while idle and inactive
}

TEST_CASE("Hysteresis: the reserve stays active while the oldest wait is between the two "
          "thresholds",
          "[reserve]") {
  Center c = BusyCenter({.activate_wait = absl::Seconds(20),
                         .deactivate_wait = absl::Seconds(5),
                         .check_every = absl::Seconds(5)});
  REQUIRE(c.engine.SetNotReady(c.now, "backup", "meeting").ok());
  c.Contact({.id = "c2", .queue = "q"});
  c.Advance(12);
  c.Contact({.id = "c3", .queue = "q"});
  c.Advance(8);  // +20: c2 has waited 20 s
  c.Drain();
  CHECK(Logged(c, "reserve_activated"));
  // The regular agent takes c2; c3, the oldest now, waits 8 s, then 13 s and 18 s at the
  // checks: between 5 s and 20 s the reserve stays active.
  REQUIRE(c.engine.Complete(c.now, "regular", "first").ok());
  c.Drain();
  REQUIRE(c.OfferedTo("regular") == "c2");
  REQUIRE(c.engine.Accept(c.now, "regular", "c2").ok());
  c.Advance(10);  // +30
  c.Drain();
  CHECK(!Logged(c, "reserve_deactivated"));
  CHECK(Active(c));
  // The backup comes back and takes c3 at once: the reserve is active.
  REQUIRE(c.engine.SetReady(c.now, "backup").ok());
  c.Drain();
  CHECK(c.OfferedTo("backup") == "c3");
  c.Advance(5);  // nobody waits
  c.Drain();
  CHECK(Logged(c, "reserve_deactivated"));
}

TEST_CASE("The service level over the window activates the reserve and deactivates it once "
          "it is back",
          "[reserve]") {
  Center c = BusyCenter({.activate_below = 0.8,
                         .deactivate_at = 0.9,
                         .window = absl::Minutes(10),
                         .check_every = absl::Seconds(10)});
  // "first" was answered at once; two contacts abandon after 40 s: the service level over the
  // window is 1 of 3.
  c.Contact({.id = "gone1", .queue = "q"});
  c.Contact({.id = "gone2", .queue = "q"});
  c.Advance(40);
  REQUIRE(c.engine.Abandon(c.now, "gone1").ok());
  REQUIRE(c.engine.Abandon(c.now, "gone2").ok());
  c.Drain();
  CHECK(!Active(c));  // at +10..+40 the service level was 1 (none decided)
  CHECK(c.engine.GetQueueStats("q")->reserve_service_level == Approx(1.0 / 3));
  c.Contact({.id = "c3", .queue = "q"});
  c.Advance(10);  // the check at +50
  c.Drain();
  CHECK(Logged(c, "reserve_activated"));
  CHECK(Logged(c, "reason=service_level=0.33 oldest_wait=10s"));
  CHECK(c.OfferedTo("backup") == "c3");
  REQUIRE(c.engine.Accept(c.now, "backup", "c3").ok());
  // c3, answered at 10 s, counts within the 20 s threshold: 2 of 4. The abandons leave the
  // window 10 min after them (+640); the check at +640 sees 1 of 1 and deactivates.
  CHECK(c.engine.GetQueueStats("q")->reserve_service_level == 0.5);
  c.Advance(589);  // +639
  c.Drain();
  CHECK(!Logged(c, "reserve_deactivated"));
  c.Advance(1);  // +640
  c.Drain();
  CHECK(Logged(c, "reserve_deactivated"));
  CHECK(c.engine.GetQueueStats("q")->reserve_service_level == 1.0);
}

TEST_CASE("A reserve agent freed while the reserve is inactive does not take the waiting "
          "contact; freed while it is active, it does",
          "[reserve]") {
  Center c = BusyCenter({.activate_wait = absl::Seconds(60),
                         .deactivate_wait = absl::Seconds(10),
                         .check_every = absl::Seconds(5)});
  REQUIRE(c.engine.SetNotReady(c.now, "backup", "break").ok());
  c.Contact({.id = "c2", .queue = "q"});
  c.Advance(1);
  REQUIRE(c.engine.SetReady(c.now, "backup").ok());
  c.Drain();
  CHECK(c.OfferedTo("backup").empty());
  absl::StatusOr<Explanation> why = c.engine.Explain("c2");
  REQUIRE(why.ok());
  bool said = false;
  for (const Explanation::Agent& agent : why->agents) {
    if (agent.id == "backup") {
      CHECK(agent.reason == "reserve_inactive");
      CHECK(agent.until == At(5));
      said = true;
    }
  }
  CHECK(said);
  REQUIRE(c.engine.SetNotReady(c.now, "backup", "break").ok());
  c.Advance(60);  // the check at +60 activates it
  c.Drain();
  CHECK(Active(c));
  REQUIRE(c.engine.SetReady(c.now, "backup").ok());
  c.Drain();
  CHECK(c.OfferedTo("backup") == "c2");
}

TEST_CASE("An arriving contact takes a free regular agent before a free reserve agent",
          "[reserve]") {
  Center c = BusyCenter({.activate_wait = absl::Seconds(10),
                         .deactivate_wait = absl::Seconds(5),
                         .check_every = absl::Seconds(5)});
  REQUIRE(c.engine.SetNotReady(c.now, "backup", "break").ok());
  c.Contact({.id = "c2", .queue = "q"});
  c.Advance(10);  // active
  c.Drain();
  REQUIRE(Active(c));
  // The backup is free first (longest idle would pick it), then a second regular agent.
  REQUIRE(c.engine.SetReady(c.now, "backup").ok());  // takes c2
  c.Drain();
  REQUIRE(c.OfferedTo("backup") == "c2");
  REQUIRE(c.engine.Accept(c.now, "backup", "c2").ok());
  REQUIRE(c.engine.Complete(c.now, "backup", "c2").ok());
  c.Contact({.id = "c3", .queue = "q"});  // waits: the reserve stays active with it
  c.Advance(1);
  c.Drain();
  REQUIRE(c.OfferedTo("backup") == "c3");
  REQUIRE(c.engine.Accept(c.now, "backup", "c3").ok());
  REQUIRE(c.engine.Complete(c.now, "backup", "c3").ok());  // the backup is free from here
  c.Advance(1);
  c.Agent(Skilled("second", {}));
  c.Contact({.id = "c4", .queue = "q"});
  c.Drain();
  CHECK(Active(c));
  CHECK(c.OfferedTo("second") == "c4");
}

TEST_CASE("A reserve member of a queue without a reserve policy never takes its contacts",
          "[reserve]") {
  Center c;
  c.Queue({.id = "q"});
  c.Agent(Reserve("backup", "q"));
  c.Contact({.id = "c1", .queue = "q"});
  c.Advance(3600);
  c.Drain();
  CHECK(c.OfferedTo("backup").empty());
  CHECK(c.engine.NextDeadline() == std::nullopt);
  // Given a policy while c1 waits, the queue is checked and the reserve takes it.
  REQUIRE(c.engine
              .Execute({.now = c.now,
                        .actor = Actor::Host(),
                        .body = UpdateQueue{{.id = "q",
                                             .reserve = ReservePolicy{
                                                 .activate_wait = absl::Seconds(30)}}}})
              .ok());
  c.Advance(5);
  c.Drain();
  CHECK(c.OfferedTo("backup") == "c1");
  // The policy removed while active: deactivated at once, with the reason.
  REQUIRE(c.engine
              .Execute({.now = c.now,
                        .actor = Actor::Host(),
                        .body = UpdateQueue{{.id = "q"}}})
              .ok());
  c.Drain();
  CHECK(Logged(c, "reserve_deactivated actor=host cause=command queue=q reason=no reserve policy"));
  CHECK(!Active(c));
}

TEST_CASE("A reserve policy out of range is refused, naming the field", "[reserve]") {
  Engine engine;
  auto refusal = [&](ReservePolicy policy) {
    const absl::Status status = engine.AddQueue(At(0), {.id = "q", .reserve = policy});
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    return std::string(status.message());
  };
  CHECK(refusal({}) ==
        "queue 'q': reserve has neither activate_below nor activate_wait; set one");
  CHECK(refusal({.activate_below = 0.8, .deactivate_at = 0.7}) ==
        "queue 'q': reserve.deactivate_at is 0.7; expected 0.8..1");
  CHECK(refusal({.activate_below = 1.5}) == "queue 'q': reserve.activate_below is 1.5; expected 0..1");
  CHECK(refusal({.activate_wait = absl::Seconds(30), .deactivate_wait = absl::Seconds(40)}) ==
        "queue 'q': reserve.deactivate_wait is 40s; expected 0..30s");
  CHECK(refusal({.activate_wait = absl::Seconds(30), .check_every = absl::ZeroDuration()}) ==
        "queue 'q': reserve.check_every is 0; expected 1s..1h");
  CHECK(refusal({.activate_wait = absl::Seconds(30), .window = absl::Hours(25)}) ==
        "queue 'q': reserve.window is 25h; expected 1us..24h");
  CHECK(!engine.GetQueueStats("q").ok());
  // deactivate_at 0 (the default) means activate_below.
  CHECK(engine.AddQueue(At(0), {.id = "ok", .reserve = ReservePolicy{.activate_below = 0.8}}).ok());
}

TEST_CASE("A reserve agent serves the queue's requirement steps too", "[reserve]") {
  Center c;
  c.Queue({.id = "q",
           .requirement = "vip >= 1",
           .steps = {{.after = absl::Seconds(10), .requirement = ""}},
           .reserve = ReservePolicy{.activate_wait = absl::Seconds(20)}});
  AgentConfig backup = Reserve("backup", "q");
  c.Agent(backup);
  c.Contact({.id = "c1", .queue = "q"});
  c.Advance(15);  // step 1 (any agent), reserve still inactive
  c.Drain();
  CHECK(Logged(c, "contact_requirement_changed"));
  CHECK(c.OfferedTo("backup").empty());
  c.Advance(5);  // +20: active
  c.Drain();
  CHECK(c.OfferedTo("backup") == "c1");
}

}  // namespace
}  // namespace switchboard
