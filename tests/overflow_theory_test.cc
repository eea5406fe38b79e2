// Overflow rules agree with the loss systems of queueing theory: queue_length = 0 with
// disconnect is Erlang B's M/M/N/N; a waiting room of K is M/M/N/(N+K); a primary group that
// overflows at once to a secondary group loses, overall, Erlang B of both groups together (the
// number of busy agents is the same birth-death process as one group of N1 + N2). Each check
// allows three confidence half-widths and requires the half-width to be small.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "switchboard/erlang.h"
#include "switchboard/sim.h"

namespace switchboard {
namespace {

using Trigger = OverflowRule::Trigger;
using Action = OverflowRule::Action;

void CheckAgrees(const char* what, const Metric& simulated, double theory, double max_ci) {
  INFO(what << ": simulated " << simulated.mean << " ± " << simulated.ci95 << ", theory "
            << theory);
  CHECK(simulated.ci95 <= max_ci);
  CHECK(std::abs(simulated.mean - theory) <= 3 * simulated.ci95 + 1e-9);
}

// Loss probability of M/M/N/(N+K): the share of time the N agents are busy and K wait.
double LossWithWaitingRoom(int agents, int room, double load) {
  std::vector<double> weight{1.0};
  for (int n = 1; n <= agents + room; ++n) {
    weight.push_back(weight.back() * load / std::min(n, agents));
  }
  double total = 0;
  for (double w : weight) total += w;
  return weight.back() / total;
}

SimulationConfig LossCenter(double calls_per_hour, double aht_s, int agents,
                            std::vector<OverflowRule> rules) {
  SimulationConfig config;
  config.seed = 20261207;
  config.duration = absl::Hours(8);
  config.warmup = absl::Hours(1);
  config.replications = 100;
  config.queues.push_back({.id = "q", .overflow = std::move(rules)});
  config.traffic.push_back({.queue = "q",
                            .arrivals = Arrivals::Constant(calls_per_hour / 3600),
                            .handle = Distribution::Exponential(aht_s)});
  config.agents.push_back({.name = "agent", .count = agents});
  return config;
}

TEST_CASE("queue_length = 0 with disconnect loses Erlang B's share", "[overflow][theory]") {
  // 30 Erlangs on 30 agents: B = 0.1325.
  const SimulationConfig config = LossCenter(
      600, 180, 30,
      {{.trigger = Trigger::kQueueLength, .queue_length = 0, .action = Action::kDisconnect}});
  absl::StatusOr<SimulationResult> result = Simulate(config, {.threads = 2});
  REQUIRE(result.ok());
  const double blocking = ErlangB(30, 30);
  CHECK(blocking == Approx(LossWithWaitingRoom(30, 0, 30)).epsilon(1e-9));
  CHECK(blocking == Approx(0.1325).epsilon(0.001));
  const Kpis& q = result->queues.at("q");
  CheckAgrees("overflow_rate", q.overflow_rate, blocking, 0.006);
  CHECK(q.disconnected.mean == q.overflowed.mean);
  CHECK(q.p_wait.mean == 0);  // nobody waits in a loss system
}

TEST_CASE("A waiting room of K loses M/M/N/(N+K)'s share", "[overflow][theory]") {
  // 9 Erlangs on 10 agents, at most 5 waiting.
  const SimulationConfig config = LossCenter(
      180, 180, 10,
      {{.trigger = Trigger::kQueueLength, .queue_length = 5, .action = Action::kDisconnect}});
  absl::StatusOr<SimulationResult> result = Simulate(config, {.threads = 2});
  REQUIRE(result.ok());
  const double loss = LossWithWaitingRoom(10, 5, 9);
  CHECK(loss == Approx(0.0613).epsilon(0.001));
  CheckAgrees("overflow_rate", result->queues.at("q").overflow_rate, loss, 0.006);
}

TEST_CASE("A primary group overflowing to a secondary loses Erlang B of both together",
          "[overflow][theory]") {
  // 12 Erlangs; 8 primary agents, then 6 secondary: the primary overflows B(8, 12) of its
  // calls, and overall B(14, 12) are lost.
  SimulationConfig config;
  config.seed = 20261208;
  config.duration = absl::Hours(8);
  config.warmup = absl::Hours(1);
  config.replications = 100;
  // Listed before its target: the simulator adds the target first.
  config.queues = {{.id = "primary",
                    .requirement = "primary",
                    .overflow = {{.trigger = Trigger::kQueueLength,
                                  .queue_length = 0,
                                  .action = Action::kTransfer,
                                  .target = "secondary"}}},
                   {.id = "secondary",
                    .requirement = "secondary",
                    .overflow = {{.trigger = Trigger::kQueueLength,
                                  .queue_length = 0,
                                  .action = Action::kDisconnect}}}};
  config.traffic.push_back({.queue = "primary",
                            .arrivals = Arrivals::Constant(240.0 / 3600),
                            .handle = Distribution::Exponential(180)});
  config.agents = {{.name = "first", .count = 8, .skills = {{"primary", 1}}},
                   {.name = "second", .count = 6, .skills = {{"secondary", 1}}}};
  absl::StatusOr<SimulationResult> result = Simulate(config, {.threads = 2});
  REQUIRE(result.ok());
  const Kpis& primary = result->queues.at("primary");
  const Kpis& secondary = result->queues.at("secondary");
  CheckAgrees("primary overflow_rate", primary.overflow_rate, ErlangB(8, 12), 0.008);
  CHECK(primary.transferred.mean == primary.overflowed.mean);
  CHECK(secondary.offered.mean == Approx(primary.transferred.mean));
  // Overall each call is offered once, and lost once.
  CHECK(result->overall.offered.mean == Approx(primary.offered.mean));
  Metric overall_loss = result->overall.disconnected;
  overall_loss.mean /= result->overall.offered.mean;
  overall_loss.ci95 /= result->overall.offered.mean;
  CheckAgrees("overall loss", overall_loss, ErlangB(14, 12), 0.006);
}

TEST_CASE("A queue closed for one hour sends that hour's Poisson arrivals to its closed rule",
          "[overflow][theory][hours]") {
  // 120 calls/h, plenty of agents; the queue is closed 10:00-11:00 every day.
  SimulationConfig config;
  config.seed = 20261209;
  config.start = absl::FromCivil(absl::CivilSecond(2026, 1, 5, 0, 0, 0), absl::UTCTimeZone());
  config.duration = absl::Hours(24);
  config.interval = absl::Hours(1);
  config.replications = 100;
  OpeningHours hours;
  for (auto& day : hours.weekly) day = {{0, 10 * 60}, {11 * 60, 24 * 60}};
  config.queues.push_back(
      {.id = "q",
       .overflow = {{.trigger = Trigger::kClosed, .action = Action::kVoicemail}},
       .hours = hours});
  config.traffic.push_back({.queue = "q",
                            .arrivals = Arrivals::Constant(120.0 / 3600),
                            .handle = Distribution::Exponential(60)});
  config.agents.push_back({.name = "agent", .count = 20});
  absl::StatusOr<SimulationResult> result = Simulate(config, {.threads = 2});
  REQUIRE(result.ok());
  const Kpis& q = result->queues.at("q");
  CheckAgrees("voicemail", q.voicemail, 120, 6);
  // All of them in the closed hour, and nobody else.
  CHECK(result->intervals[10].queues.at("q").voicemail.mean == q.voicemail.mean);
  CHECK(result->intervals[10].queues.at("q").answered.mean == 0);
  CHECK(q.answered.mean + q.voicemail.mean == Approx(q.offered.mean));
}

}  // namespace
}  // namespace switchboard
