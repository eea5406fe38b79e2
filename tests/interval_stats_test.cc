// Interval statistics (Engine::GetIntervalStats): counts land in the interval their event falls
// in, roll over to the previous interval, and follow the simulator's definitions.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "engine_with.h"
#include "sim/tally.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

// 2026-01-05 00:00:00 UTC: a multiple of 15, 30 and 60 minutes since the epoch.
constexpr int64_t kDayStart = 1767571200;

absl::Time At(double seconds) { return absl::FromUnixSeconds(kDayStart) + absl::Seconds(seconds); }

IntervalStats Stats(const Engine& engine, StatsScope scope, const std::string& id) {
  absl::StatusOr<IntervalStats> stats = engine.GetIntervalStats(scope, id);
  INFO(std::string(stats.status().ToString()));
  REQUIRE(stats.ok());
  return *std::move(stats);
}

void Ok(const absl::Status& status) {
  INFO(std::string(status.ToString()));
  REQUIRE(status.ok());
}

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

// One queue (service level 20 s) and one agent, logged in and ready at the day's start.
Engine OneAgent(QueueConfig queue = {.id = "q"}) {
  Engine engine;
  Ok(engine.AddQueue(At(0), std::move(queue)));
  Ok(engine.AddAgent(At(0), {.id = "a1", .team = "blue"}));
  Ok(engine.Login(At(0), "a1", /*ready=*/true));
  return engine;
}

TEST_CASE("Counts land in the interval of their event and roll over to the previous one",
          "[interval_stats]") {
  Engine engine = OneAgent();
  Ok(engine.AddContact(At(10), {.id = "c1", .queue = "q"}));  // offered to a1 at once
  Ok(engine.Accept(At(15), "a1", "c1"));                      // waited 5 s
  Ok(engine.AddContact(At(50), {.id = "c2", .queue = "q"}));  // waits: a1 is busy
  Ok(engine.Complete(At(75), "a1", "c1"));                    // handled 60 s; c2 offered
  Ok(engine.Accept(At(80), "a1", "c2"));                      // waited 30 s: over 20 s
  Ok(engine.AddContact(At(200), {.id = "c3", .queue = "q"}));
  Ok(engine.Abandon(At(260), "c3"));

  IntervalStats q = Stats(engine, StatsScope::kQueue, "q");
  CHECK(q.as_of == At(260));
  CHECK(q.current.start == At(0));
  CHECK(q.current.end == At(900));
  CHECK(q.previous.start == At(-900));
  CHECK(q.current.offered == 3);
  CHECK(q.current.answered == 2);
  CHECK(q.current.answered_within_threshold == 1);
  CHECK(q.current.abandoned == 1);
  CHECK(q.current.service_level == Approx(1.0 / 3));
  CHECK(q.current.abandon_rate == Approx(1.0 / 3));
  CHECK(Seconds(q.current.asa) == Approx(17.5));
  CHECK(Seconds(q.current.max_wait) == Approx(30));
  CHECK(q.current.handled == 1);
  CHECK(Seconds(q.current.aht) == Approx(60));
  CHECK(q.previous.offered == 0);
  CHECK(q.previous.service_level == 1.0);
  CHECK(q.now.agents_by_state[static_cast<int>(AgentState::kBusy)] == 1);

  // The next interval: c2 ends there (handled 910 - 80 s), and the first becomes previous.
  Ok(engine.Complete(At(910), "a1", "c2"));
  q = Stats(engine, StatsScope::kQueue, "q");
  CHECK(q.current.start == At(900));
  CHECK(q.current.offered == 0);
  CHECK(q.current.answered == 0);
  CHECK(q.current.handled == 1);
  CHECK(Seconds(q.current.aht) == Approx(830));
  CHECK(q.previous.start == At(0));
  CHECK(q.previous.end == At(900));
  CHECK(q.previous.offered == 3);
  CHECK(q.previous.answered == 2);
  CHECK(q.previous.handled == 1);
  CHECK(q.now.agents_by_state[static_cast<int>(AgentState::kAvailable)] == 1);

  // The agent: two offers, both answered; busy 60 + 820 s of the 900 s it was logged in.
  const IntervalStats a = Stats(engine, StatsScope::kAgent, "a1");
  CHECK(a.previous.offered == 2);
  CHECK(a.previous.answered == 2);
  CHECK(a.previous.abandoned == 0);
  CHECK(Seconds(a.previous.time_by_state[static_cast<int>(AgentState::kBusy)]) == Approx(880));
  CHECK(Seconds(a.previous.time_by_state[static_cast<int>(AgentState::kReserved)]) == Approx(10));
  CHECK(Seconds(a.previous.time_by_state[static_cast<int>(AgentState::kAvailable)]) == Approx(10));
  CHECK(a.previous.occupancy == Approx(880.0 / 900));
  CHECK(a.current.occupancy == Approx(1.0));  // busy 900..910, then available at 910
  CHECK(a.current.handled == 1);
}

TEST_CASE("An interval without events is an empty previous interval", "[interval_stats]") {
  Engine engine = OneAgent();
  Ok(engine.AddContact(At(10), {.id = "c1", .queue = "q"}));
  Ok(engine.Accept(At(10), "a1", "c1"));
  Ok(engine.Complete(At(40), "a1", "c1"));
  Ok(engine.AdvanceTo(At(3 * 900 + 5)));

  const IntervalStats q = Stats(engine, StatsScope::kQueue, "q");
  CHECK(q.current.start == At(2700));
  CHECK(q.previous.start == At(1800));
  CHECK(q.previous.offered == 0);
  CHECK(q.previous.answered == 0);
  CHECK(q.previous.handled == 0);
  CHECK(q.current.offered == 0);

  // The agent was available all through the interval before: its time is there, no work.
  const IntervalStats a = Stats(engine, StatsScope::kAgent, "a1");
  CHECK(Seconds(a.previous.time_by_state[static_cast<int>(AgentState::kAvailable)]) == Approx(900));
  CHECK(a.previous.occupancy == 0);
  CHECK(Seconds(a.current.time_by_state[static_cast<int>(AgentState::kAvailable)]) == Approx(5));
  CHECK(a.now.agents_by_state[static_cast<int>(AgentState::kAvailable)] == 1);
}

TEST_CASE("AHT runs from the answer to the end of wrap-up, hold included", "[interval_stats]") {
  Engine engine = OneAgent(
      {.id = "q", .wrap_up = {.mode = WrapUpPolicy::Mode::kTimed, .duration = absl::Seconds(30)}});
  Ok(engine.AddContact(At(0), {.id = "c1", .queue = "q"}));
  Ok(engine.Accept(At(5), "a1", "c1"));
  Ok(engine.Hold(At(10), "a1", "c1"));
  Ok(engine.Resume(At(20), "a1", "c1"));
  Ok(engine.Complete(At(65), "a1", "c1"));
  // Completed but still in wrap-up: not handled yet.
  CHECK(Stats(engine, StatsScope::kQueue, "q").current.handled == 0);
  Ok(engine.AdvanceTo(At(100)));  // wrap-up ended at 95

  const IntervalStats q = Stats(engine, StatsScope::kQueue, "q");
  CHECK(q.current.handled == 1);
  CHECK(Seconds(q.current.aht) == Approx(90));
  const IntervalStats a = Stats(engine, StatsScope::kAgent, "a1");
  CHECK(Seconds(a.current.aht) == Approx(90));
  CHECK(Seconds(a.current.time_by_state[static_cast<int>(AgentState::kWrapUp)]) == Approx(30));
  // busy 5..65 and wrap-up 65..95 of 100 s logged in.
  CHECK(a.current.occupancy == Approx(0.9));
}

TEST_CASE("A team adds up its agents", "[interval_stats]") {
  Engine engine;
  Ok(engine.AddQueue(At(0), {.id = "q"}));
  Ok(engine.AddAgent(At(0), {.id = "a1", .team = "blue"}));
  Ok(engine.AddAgent(At(0), {.id = "a2", .team = "blue"}));
  Ok(engine.AddAgent(At(0), {.id = "a3", .team = "red"}));
  Ok(engine.Login(At(0), "a1", /*ready=*/true));
  Ok(engine.Login(At(0), "a2", /*ready=*/true));
  Ok(engine.AddContact(At(1), {.id = "c1", .queue = "q"}));
  Ok(engine.AddContact(At(1), {.id = "c2", .queue = "q"}));
  Ok(engine.Accept(At(3), engine.GetContact("c1")->agent, "c1"));
  Ok(engine.Accept(At(5), engine.GetContact("c2")->agent, "c2"));
  Ok(engine.AdvanceTo(At(10)));

  const IntervalStats blue = Stats(engine, StatsScope::kTeam, "blue");
  CHECK(blue.current.offered == 2);
  CHECK(blue.current.answered == 2);
  CHECK(Seconds(blue.current.asa) == Approx(3));  // waits 2 s and 4 s
  CHECK(blue.now.agents_by_state[static_cast<int>(AgentState::kBusy)] == 2);
  CHECK(Seconds(blue.current.time_by_state[static_cast<int>(AgentState::kBusy)]) == Approx(12));
  CHECK(blue.current.occupancy == Approx(12.0 / 20));  // busy 7 + 5 s of 2 x 10 s

  const IntervalStats red = Stats(engine, StatsScope::kTeam, "red");
  CHECK(red.current.offered == 0);
  CHECK(red.current.occupancy == 0);
  CHECK(red.now.agents_by_state[static_cast<int>(AgentState::kLoggedOut)] == 1);
}

TEST_CASE("A transfer is offered in its target; a callback is answered when it connects",
          "[interval_stats][overflow]") {
  using Action = OverflowRule::Action;
  using Trigger = OverflowRule::Trigger;
  Engine engine;
  Ok(engine.AddQueue(At(0), {.id = "spill"}));
  Ok(engine.AddQueue(At(0), {.id = "full",
                             .overflow = {{.trigger = Trigger::kQueueLength,
                                           .queue_length = 1,
                                           .action = Action::kTransfer,
                                           .target = "spill"}}}));
  Ok(engine.AddQueue(At(0), {.id = "q",
                             .overflow = {{.trigger = Trigger::kWait,
                                           .wait = absl::Seconds(60),
                                           .action = Action::kCallback}}}));
  Ok(engine.AddContact(At(0), {.id = "f1", .queue = "full"}));
  Ok(engine.AddContact(At(0), {.id = "f2", .queue = "full"}));  // moves to spill
  CHECK(Stats(engine, StatsScope::kQueue, "full").current.offered == 2);
  CHECK(Stats(engine, StatsScope::kQueue, "spill").current.offered == 1);
  CHECK(Stats(engine, StatsScope::kQueue, "spill").current.offered ==
        engine.GetQueueStats("spill")->offered);

  Ok(engine.AddAgent(At(0), {.id = "a1", .queues = {{.queue = "q"}}, .auto_membership = false}));
  Ok(engine.Login(At(0), "a1", /*ready=*/true));
  Ok(engine.AddContact(At(0), {.id = "busy", .queue = "q"}));
  Ok(engine.Accept(At(0), "a1", "busy"));
  Ok(engine.AddContact(At(0), {.id = "c1", .queue = "q"}));  // a callback at 60 s
  Ok(engine.Complete(At(70), "a1", "busy"));                 // handled 70 s; c1 offered
  Ok(engine.Accept(At(72), "a1", "c1"));                     // dials: not an answer yet
  IntervalStats q = Stats(engine, StatsScope::kQueue, "q");
  CHECK(q.current.answered == 1);
  CHECK(Stats(engine, StatsScope::kAgent, "a1").current.answered == 1);
  Ok(engine.ReportCallback(At(77), "c1", CallbackResult::kConnected));  // waited 77 s
  Ok(engine.Complete(At(137), "a1", "c1"));                             // handled 60 s
  q = Stats(engine, StatsScope::kQueue, "q");
  const QueueStats totals = *engine.GetQueueStats("q");
  CHECK(q.current.answered == 2);
  CHECK(q.current.answered == totals.answered);
  CHECK(q.current.asa == totals.asa);
  CHECK(Seconds(q.current.asa) == Approx(38.5));
  CHECK(q.current.handled == 2);
  CHECK(Seconds(q.current.aht) == Approx(65));
  CHECK(Stats(engine, StatsScope::kAgent, "a1").current.answered == 2);
}

TEST_CASE("The interval length must divide the day", "[interval_stats]") {
  for (const absl::Duration ok : {absl::Minutes(15), absl::Minutes(30), absl::Minutes(60),
                                  absl::Minutes(5), absl::Hours(24)}) {
    CHECK(Engine::Create({.stats_interval = ok}).ok());
  }
  for (const absl::Duration bad : {absl::ZeroDuration(), absl::Minutes(-15), absl::Minutes(7),
                                   absl::Hours(25), absl::Milliseconds(500)}) {
    absl::StatusOr<Engine> engine = Engine::Create({.stats_interval = bad});
    REQUIRE_FALSE(engine.ok());
    CHECK(engine.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(engine.status().message()), Catch::Contains("stats_interval"));
  }
}

TEST_CASE("Half-hour intervals align to the half hour", "[interval_stats]") {
  Engine engine = EngineWith({.stats_interval = absl::Minutes(30)});
  Ok(engine.AddQueue(At(1000), {.id = "q"}));
  Ok(engine.AddContact(At(1799), {.id = "c1", .queue = "q"}));
  Ok(engine.AddContact(At(1800), {.id = "c2", .queue = "q"}));
  const IntervalStats q = Stats(engine, StatsScope::kQueue, "q");
  CHECK(q.current.start == At(1800));
  CHECK(q.current.end == At(3600));
  CHECK(q.current.offered == 1);
  CHECK(q.previous.offered == 1);
  CHECK(q.now.waiting == 2);
  CHECK(Seconds(q.now.longest_wait) == Approx(1));
}

TEST_CASE("Unknown ids are NotFound; without events the query is refused", "[interval_stats]") {
  Engine engine = OneAgent();
  for (const StatsScope scope : {StatsScope::kQueue, StatsScope::kAgent, StatsScope::kTeam}) {
    absl::StatusOr<IntervalStats> stats = engine.GetIntervalStats(scope, "nope");
    CHECK(stats.status().code() == absl::StatusCode::kNotFound);
  }
  CHECK(engine.GetIntervalStats(StatsScope::kQueue, std::string(kMaxIdBytes + 1, 'x'))
            .status()
            .code() == absl::StatusCode::kInvalidArgument);  // could not be an id
  CHECK(engine.GetIntervalStats(StatsScope::kTeam, "blue").ok());
  CHECK(engine.GetIntervalStats(StatsScope::kTeam, "red").status().code() ==
        absl::StatusCode::kNotFound);
  Ok(engine.AddAgent(At(1), {.id = "a2", .team = "red"}));
  CHECK(engine.GetIntervalStats(StatsScope::kTeam, "red").ok());

  Engine quiet = EngineWith({.record_events = false});
  Ok(quiet.AddQueue(At(0), {.id = "q"}));
  CHECK(quiet.GetIntervalStats(StatsScope::kQueue, "q").status().code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("Events to a sink feed the intervals as the buffer does", "[interval_stats]") {
  struct Count : EventSink {
    int events = 0;
    void OnEvent(const Event&) override { ++events; }
  } sink;
  Engine engine = EngineWith({.record_events = false});
  engine.SetEventSink(&sink);
  Ok(engine.AddQueue(At(0), {.id = "q"}));
  Ok(engine.AddContact(At(5), {.id = "c1", .queue = "q"}));
  CHECK(sink.events == 2);  // queue_added, contact_queued: the sink still gets them all
  CHECK(Stats(engine, StatsScope::kQueue, "q").current.offered == 1);
}

TEST_CASE("A team name is checked like other text, and a refused agent changes nothing",
          "[interval_stats]") {
  Engine engine;
  const absl::Status status =
      engine.AddAgent(At(0), {.id = "a1", .team = std::string(kMaxNameBytes + 1, 'x')});
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(status.message()), Catch::Contains("team"));
  CHECK(engine.ListAgents().empty());
}

// A scripted day, counted as the simulator counts (src/sim/simulator.cc: a Tally per queue and
// interval) and evaluated by the simulator's own KPI code (detail::Combine, src/sim/results.cc):
// the live engine's interval KPIs are the same numbers. No contact crosses an interval boundary,
// where the two attribute differently (docs/operations.md).
TEST_CASE("A scripted day gives the simulator's KPIs", "[interval_stats][simulation]") {
  Engine engine =
      OneAgent({.id = "q",
                .service_level_threshold = absl::Seconds(20),
                .wrap_up = {.mode = WrapUpPolicy::Mode::kTimed, .duration = absl::Seconds(10)}});
  Ok(engine.AddAgent(At(0), {.id = "a2", .team = "blue"}));
  Ok(engine.Login(At(0), "a2", /*ready=*/true));
  struct Call {
    double arrival, answer, talk;  // answer < 0: abandons at -answer
  };
  // Each answer comes within the offer timeout (15 s) of the offer.
  const std::vector<Call> calls = {{10, 12, 100},  {11, 15, 50},   {20, 80, 40},   {30, -50, 0},
                                   {200, 210, 90}, {210, 211, 20}, {222, -235, 0}, {400, 405, 60}};
  detail::Tally tally;  // the simulator's counts: handle = talk + wrap-up
  const double wrap_up_s = 10;
  struct Ending {
    double at;
    std::string agent, contact;
  };
  std::vector<Ending> endings;
  auto end_due = [&](double now) {
    std::sort(endings.begin(), endings.end(),
              [](const Ending& a, const Ending& b) { return a.at < b.at; });
    while (!endings.empty() && endings.front().at <= now) {
      Ok(engine.Complete(At(endings.front().at), endings.front().agent, endings.front().contact));
      endings.erase(endings.begin());
    }
  };
  // Arrivals, answers and abandons in time order, with completions due before each.
  struct Step {
    double at;
    int call;
    int kind;  // 0 arrive, 1 answer, 2 abandon
  };
  std::vector<Step> steps;
  for (int i = 0; i < static_cast<int>(calls.size()); ++i) {
    steps.push_back({calls[i].arrival, i, 0});
    steps.push_back({calls[i].answer >= 0 ? calls[i].answer : -calls[i].answer, i,
                     calls[i].answer >= 0 ? 1 : 2});
  }
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Step& a, const Step& b) { return a.at < b.at; });
  for (const Step& step : steps) {
    end_due(step.at);
    const Call& call = calls[step.call];
    const std::string id = "c" + std::to_string(step.call);
    if (step.kind == 0) {
      ++tally.offered;
      Ok(engine.AddContact(At(step.at), {.id = id, .queue = "q"}));
    } else if (step.kind == 2) {
      ++tally.abandoned;
      Ok(engine.Abandon(At(step.at), id));
    } else {
      Ok(engine.AdvanceTo(At(step.at)));  // an agent's wrap-up may end and the offer follow
      const ContactInfo info = *engine.GetContact(id);
      REQUIRE(info.state == ContactState::kOffered);
      Ok(engine.Accept(At(step.at), info.agent, id));
      const double wait = call.answer - call.arrival;
      ++tally.answered;
      tally.answered_within += wait <= 20;
      tally.waited += wait > 0;
      tally.wait_sum_s += wait;
      tally.max_wait_s = std::max(tally.max_wait_s, wait);
      ++tally.handled;
      tally.handle_sum_s += call.talk + wrap_up_s;
      endings.push_back({call.answer + call.talk, info.agent, id});
    }
  }
  end_due(800);
  Ok(engine.AdvanceTo(At(850)));

  SimulationConfig config;
  config.queues.push_back({.id = "q"});
  config.duration = absl::Minutes(15);
  config.interval = absl::Minutes(15);
  detail::ReplicationResult run;
  run.queues = {tally};
  run.intervals = {{tally}};
  run.interval_occupancy = {0};
  const SimulationResult sim = detail::Combine(config, {run});
  const Kpis& want = sim.intervals.at(0).queues.at("q");

  const IntervalKpis live = Stats(engine, StatsScope::kQueue, "q").current;
  CHECK(static_cast<double>(live.offered) == want.offered.mean);
  CHECK(static_cast<double>(live.answered) == want.answered.mean);
  CHECK(static_cast<double>(live.abandoned) == want.abandoned.mean);
  CHECK(live.service_level == Approx(want.service_level.mean));
  CHECK(live.abandon_rate == Approx(want.abandon_rate.mean));
  CHECK(Seconds(live.asa) == Approx(want.asa_s.mean));
  CHECK(Seconds(live.aht) == Approx(want.aht_s.mean));
  CHECK(Seconds(live.max_wait) == Approx(want.max_wait_s.mean));
  CHECK(live.service_level < 1.0);  // the script does exercise the threshold

  // The engine's cumulative counters (QueueStats) agree over a day within one interval.
  const QueueStats queue = *engine.GetQueueStats("q");
  CHECK(live.offered == queue.offered);
  CHECK(live.answered_within_threshold == queue.answered_within_threshold);
  CHECK(live.service_level == Approx(queue.service_level));
  CHECK(live.asa == queue.asa);

  // Occupancy as the simulator measures it (the engine's time by state, over all agents: here
  // the whole team): (busy + wrap-up) / logged in.
  const IntervalKpis team = Stats(engine, StatsScope::kTeam, "blue").current;
  double work = 0, logged_in = 0;
  for (const std::string agent : {"a1", "a2"}) {
    const AgentStats stats = *engine.GetAgentStats(agent);
    work += Seconds(stats.time_by_state[static_cast<int>(AgentState::kBusy)] +
                    stats.time_by_state[static_cast<int>(AgentState::kWrapUp)]);
    for (int s = 1; s < kAgentStateCount; ++s) logged_in += Seconds(stats.time_by_state[s]);
  }
  REQUIRE(logged_in == Approx(2 * 850));
  CHECK(team.occupancy == Approx(work / logged_in));
  CHECK(team.occupancy > 0.2);
}

// Random commands within one day-long interval: the interval's counts are then the engine's
// cumulative ones (QueueStats, AgentStats), answers add up the same by queue and by agent, and
// a team is the sum of its agents.
TEST_CASE("Within one interval, random traffic counts what the engine's totals count",
          "[interval_stats][random]") {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    INFO("seed " << seed);
    std::mt19937 random(seed);
    auto pick = [&random](int n) { return static_cast<int>(random() % static_cast<uint32_t>(n)); };
    Engine engine = EngineWith({.stats_interval = absl::Hours(24)});
    Ok(engine.AddQueue(At(0), {.id = "n", .service_level_threshold = absl::Seconds(10)}));
    Ok(engine.AddQueue(
        At(0), {.id = "w",
                .wrap_up = {.mode = WrapUpPolicy::Mode::kTimed, .duration = absl::Seconds(20)}}));
    const std::vector<std::string> agents = {"a1", "a2", "a3", "a4"};
    for (size_t i = 0; i < agents.size(); ++i) {
      Ok(engine.AddAgent(At(0), {.id = agents[i], .team = i < 2 ? "blue" : "red"}));
    }
    double t = 0;
    int contacts = 0;
    for (int step = 0; step < 400; ++step) {
      t += pick(6);
      const absl::Time now = At(t);
      const std::string& agent = agents[pick(4)];
      const std::vector<ContactInfo> held = *engine.GetAgentContacts(agent);
      const std::string contact = held.empty() ? "" : held[pick(held.size())].id;
      switch (pick(12)) {
        case 0:
        case 1:
          engine
              .AddContact(
                  now, {.id = "c" + std::to_string(++contacts), .queue = pick(2) == 0 ? "n" : "w"})
              .IgnoreError();
          break;
        case 2:
          engine.Login(now, agent, /*ready=*/pick(2) == 0).IgnoreError();
          break;
        case 3:
          engine.Accept(now, agent, contact).IgnoreError();
          break;
        case 4:
          engine.Complete(now, agent, contact).IgnoreError();
          break;
        case 5:
          if (pick(2) == 0) {
            engine.Hold(now, agent, contact).IgnoreError();
          } else {
            engine.Resume(now, agent, contact).IgnoreError();
          }
          break;
        case 6:
          engine.Abandon(now, "c" + std::to_string(1 + pick(contacts + 1))).IgnoreError();
          break;
        case 7:
          engine.Reject(now, agent, contact).IgnoreError();
          break;
        case 9:
        case 10:
        case 11:  // answer what rings
          for (const ContactInfo& info : held) {
            if (info.state == ContactState::kOffered)
              engine.Accept(now, agent, info.id).IgnoreError();
          }
          break;
        case 8:
          if (pick(2) == 0) {
            engine.SetReady(now, agent).IgnoreError();
          } else {
            engine.Logout(now, agent, /*after_contacts=*/true).IgnoreError();
          }
          break;
      }
    }
    Ok(engine.AdvanceTo(At(t + 1)));
    REQUIRE(t + 1 < 86400);

    int64_t answered_by_queues = 0;
    for (const std::string queue : {"n", "w"}) {
      const IntervalKpis live = Stats(engine, StatsScope::kQueue, queue).current;
      const QueueStats totals = *engine.GetQueueStats(queue);
      CHECK(live.offered == totals.offered);
      CHECK(live.answered == totals.answered);
      CHECK(live.answered_within_threshold == totals.answered_within_threshold);
      CHECK(live.abandoned == totals.abandoned);
      CHECK(live.service_level == Approx(totals.service_level));
      CHECK(live.asa == totals.asa);
      CHECK(live.handled <= totals.completed);
      answered_by_queues += live.answered;
    }
    CHECK(answered_by_queues > 0);
    int64_t answered_by_agents = 0, offered_to_agents = 0;
    for (const std::string& agent : agents) {
      const IntervalKpis live = Stats(engine, StatsScope::kAgent, agent).current;
      const AgentStats totals = *engine.GetAgentStats(agent);
      CHECK(live.answered == totals.contacts_handled_total);
      for (int s = 0; s < kAgentStateCount; ++s) {
        CHECK(live.time_by_state[s] == totals.time_by_state[s]);
      }
      CHECK(live.occupancy == Approx(totals.occupancy));
      answered_by_agents += live.answered;
      offered_to_agents += live.offered;
    }
    CHECK(answered_by_agents == answered_by_queues);
    const IntervalKpis blue = Stats(engine, StatsScope::kTeam, "blue").current;
    const IntervalKpis red = Stats(engine, StatsScope::kTeam, "red").current;
    CHECK(blue.answered + red.answered == answered_by_agents);
    CHECK(blue.offered + red.offered == offered_to_agents);
  }
}

}  // namespace
}  // namespace switchboard
